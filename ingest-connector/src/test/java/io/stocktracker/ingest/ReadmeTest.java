package io.stocktracker.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table is the documentation of IngestConfig: keep the two in step. */
class ReadmeTest {

    @Test
    void readmeDocumentsEveryVariableWithItsDefaultAndNothingElse() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        Matcher row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\|\\s*(?:`([^`]*)`)?\\s*\\|").matcher(readme);
        java.util.Map<String, String> documented = new java.util.LinkedHashMap<>();
        while (row.find()) {
            documented.put(row.group(1), row.group(2) == null ? "" : row.group(2));
        }

        java.util.Map<String, String> declared = new java.util.LinkedHashMap<>();
        IngestConfig.KEYS.keys().forEach(k -> declared.put(k.name(), k.defaultValue()));
        assertThat(documented).containsExactlyInAnyOrderEntriesOf(declared);
    }
}
