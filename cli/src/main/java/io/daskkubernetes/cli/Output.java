package io.daskkubernetes.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Data on standard output: an aligned table for people, JSON or YAML for programs. */
final class Output {

    private Output() {}

    static <T> void print(
            OutputFormat format,
            List<T> rows,
            List<String> headers,
            Function<T, List<String>> columns) {
        switch (format) {
            case json -> System.out.println(write(new ObjectMapper(), rows));
            case yaml -> System.out.print(write(new ObjectMapper(new YAMLFactory()), rows));
            default -> System.out.print(table(rows, headers, columns));
        }
        System.out.flush();
    }

    /** One record as JSON or YAML (for table output the caller prints its own lines). */
    static void printRecord(OutputFormat format, Object record) {
        switch (format) {
            case json -> System.out.println(write(new ObjectMapper(), record));
            case yaml -> System.out.print(write(new ObjectMapper(new YAMLFactory()), record));
            default -> throw new IllegalArgumentException("table output is printed by the command");
        }
        System.out.flush();
    }

    static <T> String table(List<T> rows, List<String> headers, Function<T, List<String>> columns) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(headers);
        rows.forEach(row -> cells.add(columns.apply(row)));
        int[] widths = new int[headers.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        StringBuilder text = new StringBuilder();
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                String cell = line.get(i);
                text.append(
                        i == line.size() - 1
                                ? cell
                                : String.format("%-" + (widths[i] + 3) + "s", cell));
            }
            text.append('\n');
        }
        return text.toString();
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.registerModule(new JavaTimeModule())
                    .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
