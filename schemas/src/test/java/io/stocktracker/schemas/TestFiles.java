package io.stocktracker.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import io.stocktracker.schemas.codec.JsonCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Test resources and module paths, resolved the same way from the IDE and from Maven. */
public final class TestFiles {
    public static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    }

    public static Path schemaDir() {
        return moduleDir().resolve("src/main/resources/schemas");
    }

    public static String resource(String path) {
        try (InputStream in = TestFiles.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no classpath resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode schema(String name) {
        return JsonCodec.tree(resource("schemas/" + name + ".json"));
    }

    private TestFiles() {}
}
