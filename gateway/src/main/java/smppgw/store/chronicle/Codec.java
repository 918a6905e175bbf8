package smppgw.store.chronicle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import smppgw.model.Event;

/** JSON bytes for everything the store writes: readable with any tool, tolerant of added fields. */
final class Codec {
    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private Codec() {
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        try {
            return JSON.readValue(bytes, type);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt " + type.getSimpleName() + " (" + describe(bytes) + ")", e);
        }
    }

    /** Events are stored as newline-separated JSON, appended with RocksDB's string-append merge. */
    static List<Event> events(byte[] merged) {
        List<Event> out = new ArrayList<>();
        if (merged == null) {
            return out;
        }
        int start = 0;
        for (int i = 0; i <= merged.length; i++) {
            if (i == merged.length || merged[i] == '\n') {
                if (i > start) {
                    try {
                        out.add(JSON.readValue(merged, start, i - start, Event.class));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** What a stored record looks like without what it says (it may hold numbers and text): kind, length, torn tail. */
    static String describe(byte[] data) {
        int zeros = 0;
        while (zeros < data.length && data[data.length - 1 - zeros] == 0) {
            zeros++;
        }
        String kind = data.length > 0 && data[0] >= 'A' && data[0] <= 'Z' ? "kind '" + (char) data[0] + "', " : "";
        return kind + data.length + " bytes" + (zeros > 0 ? ", the last " + zeros + " of them zero (a torn write)" : "");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String utf8(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
