package org.anynas.space;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.util.stream.Collectors;

/**
 * The strict JSON/YAML mappers of the project: snake_case keys, case-insensitive enum names, unknown keys
 * and missing values rejected. {@link #problem} turns a mapping failure into one line naming the field.
 *
 * <p>A key added after documents were stored (campaign snapshots of a space, stored architectures) is marked
 * {@code @JacksonInject(value = Json.ABSENT + "key", useInput = OptBoolean.TRUE)}: a document that leaves it out reads as
 * its type's default (null, 0, false), so what was written before the key existed reads as it did.
 */
public final class Json {
    private Json() {
    }

    /** The prefix of optional keys' injection ids (unique per key): a missing key reads as its type's default. */
    public static final String ABSENT = "absent:";

    private static final ObjectMapper JSON = configure(JsonMapper.builder()).build();
    private static final ObjectMapper YAML = configure(YAMLMapper.builder(new YAMLFactory())).build();

    private static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>> B configure(B b) {
        return b.propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .injectableValues(new Absent());
    }

    /** Supplies the default of an optional key's type when a document leaves the key out. */
    private static final class Absent extends InjectableValues {
        @Override
        public Object findInjectableValue(Object id, DeserializationContext ctxt, BeanProperty property, Object bean) {
            if (!(id instanceof String s && s.startsWith(ABSENT))) throw new IllegalStateException("unknown injectable " + id);
            Class<?> type = property.getType().getRawClass();
            if (type == int.class) return 0;
            if (type == boolean.class) return false;
            if (type == double.class) return 0.0;
            return null;
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }

    public static ObjectMapper yaml() {
        return YAML;
    }

    /** One line: where in the document (field path) and what is wrong, without Jackson's source dump. */
    public static String problem(JsonProcessingException e) {
        String where = "";
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            where = m.getPath().stream().map(r -> r.getFieldName() != null
                            ? PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(r.getFieldName())
                            : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String what = root instanceof IllegalArgumentException || root instanceof InvalidArchitectureException
                ? root.getMessage() : e.getOriginalMessage();
        what = what.replaceAll("\\s*\\(class [^)]*\\)", "").replaceAll("\\s+at \\[Source.*", "").replace('\n', ' ');
        if (what.startsWith("Missing creator property")) what = "is missing";
        int known = what.indexOf(", not marked as ignorable");
        if (known > 0) what = what.substring(0, known);
        return where.isEmpty() ? what : "field '" + where + "': " + what;
    }
}
