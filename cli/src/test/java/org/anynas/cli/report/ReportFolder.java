package org.anynas.cli.report;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks a written report folder: every reference resolves, every PNG is drawn at the size the page states. */
final class ReportFolder {
    private ReportFolder() {
    }

    private static final Pattern REF = Pattern.compile("(?:src|href)=\"([^\"#][^\"]*)\"");
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+\\.png)\" width=\"(\\d+)\" height=\"(\\d+)\"");

    /** Asserts the folder is sound and returns the PNG figures the page shows. */
    static List<Path> check(Path dir) throws Exception {
        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
        Matcher refs = REF.matcher(html);
        while (refs.find()) {
            assertThat(dir.resolve(refs.group(1))).as("referenced by index.html").isRegularFile();
            assertThat(Files.size(dir.resolve(refs.group(1)))).isPositive();
        }
        Matcher imgs = IMG.matcher(html);
        List<Path> pngs = new ArrayList<>();
        while (imgs.find()) {
            Path png = dir.resolve(imgs.group(1));
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img).as(png.toString()).isNotNull();
            assertThat(img.getWidth()).as(png + " width").isEqualTo(Integer.parseInt(imgs.group(2)));
            assertThat(img.getHeight()).as(png + " height").isEqualTo(Integer.parseInt(imgs.group(3)));
            assertThat(colours(img)).as(png + " has something drawn on it").isGreaterThan(20);
            pngs.add(png);
        }
        for (String id : List.of("progress", "pareto", "design-space", "curves", "lineage", "top", "setup")) {
            assertThat(html).contains("<section id=\"" + id + "\">");
        }
        return pngs;
    }

    private static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y += 3) {
            for (int x = 0; x < img.getWidth(); x += 3) seen.add(img.getRGB(x, y));
        }
        return seen.size();
    }
}
