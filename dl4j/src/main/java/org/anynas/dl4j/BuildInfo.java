package org.anynas.dl4j;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions recorded at build time (build.properties, filtered by Maven). */
final class BuildInfo {
    private static final Properties PROPS = new Properties();

    static {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in != null) PROPS.load(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private BuildInfo() {
    }

    static String get(String key) {
        return PROPS.getProperty(key, "unknown");
    }
}
