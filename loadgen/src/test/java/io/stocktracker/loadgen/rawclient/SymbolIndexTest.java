package io.stocktracker.loadgen.rawclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.loadgen.plan.LoadPlan;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class SymbolIndexTest {

    @Test
    void findsEverySymbolFromASliceAndNothingElse() {
        List<String> symbols = LoadPlan.generateSymbols("EB", 5_000);
        SymbolIndex index = new SymbolIndex(symbols);
        for (int i = 0; i < symbols.size(); i++) {
            byte[] b = ("\"" + symbols.get(i) + "\"").getBytes(StandardCharsets.UTF_8);
            assertThat(index.indexOf(b, 1, b.length - 2)).isEqualTo(i);
        }
        byte[] other = "EB5000EB12".getBytes(StandardCharsets.UTF_8);
        assertThat(index.indexOf(other, 0, 6)).isEqualTo(-1);
        assertThat(index.indexOf(other, 6, 4)).isEqualTo(-1);
        assertThat(index.indexOf(other, 0, 0)).isEqualTo(-1);
        assertThat(index.size()).isEqualTo(5_000);
    }
}
