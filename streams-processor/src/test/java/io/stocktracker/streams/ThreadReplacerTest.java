package io.stocktracker.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadReplacerTest {

    @Test
    void replacesAFailedStreamThreadUntilFailuresRepeatTooOften() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamsApp.ThreadReplacer handler = new StreamsApp.ThreadReplacer(registry);
        for (int i = 0; i < StreamsApp.MAX_THREAD_REPLACEMENTS; i++) {
            assertThat(handler.handle(new IllegalStateException("boom " + i))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        }
        assertThat(handler.handle(new IllegalStateException("again"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(registry.get("streams.threads.replaced").counter().count()).isEqualTo(StreamsApp.MAX_THREAD_REPLACEMENTS);
    }
}
