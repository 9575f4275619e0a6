package io.stocktracker.loadgen.edgebench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stocktracker.schemas.ws.SubscriptionOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsArgTest {
    @Test
    void readsEveryOptionAndTheFieldsListAfterFields() {
        assertThat(OptionsArg.parse("maxRate=2,fields=price,change,minChangePercent=0.5"))
                .isEqualTo(new SubscriptionOptions(2.0, 0.5, List.of("price", "change", "ingestedAt")));
    }

    @Test
    void withoutFieldsNothingIsAdded() {
        assertThat(OptionsArg.parse("maxRate=0.5")).isEqualTo(new SubscriptionOptions(0.5, null, null));
    }

    @Test
    void refusesUnknownKeysAndStrayWords() {
        assertThatThrownBy(() -> OptionsArg.parse("rate=2")).hasMessageContaining("unknown key 'rate'");
        assertThatThrownBy(() -> OptionsArg.parse("price,maxRate=2")).hasMessageContaining("'price' is not key=value");
    }
}
