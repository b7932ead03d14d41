package org.anynas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Architecture ⇄ JSON with a schema version, and the stable hash of an architecture's canonical form. */
public final class ArchitectureJson {
    public static final int SCHEMA = 1;

    private ArchitectureJson() {
    }

    public static String write(Architecture a) {
        ObjectNode root = Json.json().createObjectNode();
        root.put("schema", SCHEMA);
        root.setAll((ObjectNode) Json.json().valueToTree(a));
        try {
            return Json.json().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and validates; every problem is an {@link InvalidArchitectureException} with a one-line message. */
    public static Architecture read(String json) {
        try {
            JsonNode tree = Json.json().readTree(json);
            if (tree == null || !tree.isObject()) throw new InvalidArchitectureException("architecture JSON must be an object");
            JsonNode schema = tree.get("schema");
            if (schema == null || !schema.isInt()) {
                throw new InvalidArchitectureException("field 'schema' is missing (expected " + SCHEMA + ")");
            }
            if (schema.intValue() != SCHEMA) {
                throw new InvalidArchitectureException("field 'schema' is " + schema.intValue()
                        + ", this version reads schema " + SCHEMA);
            }
            ((ObjectNode) tree).remove("schema");
            Architecture a = Json.json().treeToValue(tree, Architecture.class);
            a.graph(); // impossible shapes are invalid input too
            return a;
        } catch (JsonProcessingException e) {
            throw new InvalidArchitectureException(Json.problem(e));
        }
    }

    public static Architecture read(Path file) {
        if (!Files.isRegularFile(file)) throw new InvalidArchitectureException("architecture file " + file + " does not exist");
        try {
            return read(Files.readString(file));
        } catch (InvalidArchitectureException e) {
            throw new InvalidArchitectureException(file + ": " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidArchitectureException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** SHA-256 of the canonical JSON (sorted keys, fixed formatting): equal networks hash equal in every JVM. */
    public static String hash(Architecture a) {
        try {
            String canonical = Json.json().writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(a.canonical());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
