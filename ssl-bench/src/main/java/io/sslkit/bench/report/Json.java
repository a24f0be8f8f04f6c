package io.sslkit.bench.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.ToNumberPolicy;

/**
 * JSON in and out through Gson, in the plain shapes the report works with: objects → {@link java.util.Map} (in
 * document order), arrays → {@link java.util.List}, numbers → {@link Double}, strings, booleans and {@code null}.
 */
public final class Json {

    private static final Gson GSON = new GsonBuilder()
            .setObjectToNumberStrategy(ToNumberPolicy.DOUBLE)
            .serializeNulls()
            .disableHtmlEscaping()
            .create();

    private Json() {
    }

    /** Parses one JSON document (JMH's results, the environment line, the Erlang bench's output). */
    public static Object parse(String text) {
        try {
            return GSON.fromJson(text, Object.class);
        } catch (JsonParseException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
        }
    }

    /** Writes a value (maps, lists, numbers, strings, booleans, null) as compact JSON. */
    public static String write(Object v) {
        return GSON.toJson(v);
    }
}
