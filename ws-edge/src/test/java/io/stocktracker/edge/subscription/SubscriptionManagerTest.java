package io.stocktracker.edge.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.redis.SubscriptionChange.Action;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionManagerTest {
    record Change(Action action, List<String> symbols) {
    }

    final List<Change> backend = new ArrayList<>();
    final SubscriptionManager subs = new SubscriptionManager((a, s) -> backend.add(new Change(a, List.copyOf(s))));

    @Test
    void keepsBothMapsInStep() {
        subs.subscribe("c1", List.of("AAPL", "MSFT"));
        subs.subscribe("c2", List.of("AAPL"));
        assertThat(subs.getSubscribers("AAPL")).containsExactlyInAnyOrder("c1", "c2");
        assertThat(subs.getSubscribers("MSFT")).containsExactly("c1");
        assertThat(subs.getClientSubscriptions("c1")).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(subs.getActiveSymbols()).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(subs.totalSubscriptions()).isEqualTo(3);
    }

    @Test
    void notifiesTheBackendOnlyOnFirstAndLastInterest() {
        subs.subscribe("c1", List.of("AAPL", "MSFT"));
        subs.subscribe("c2", List.of("AAPL", "TSLA"));
        subs.subscribe("c2", List.of("AAPL"));
        subs.unsubscribe("c1", List.of("AAPL"));
        subs.unsubscribe("c2", List.of("AAPL", "NEVER"));
        assertThat(backend).containsExactly(
                new Change(Action.subscribe, List.of("AAPL", "MSFT")),
                new Change(Action.subscribe, List.of("TSLA")),
                new Change(Action.unsubscribe, List.of("AAPL")));
    }

    @Test
    void subscribeAndUnsubscribeReportWhatChanged() {
        assertThat(subs.subscribe("c1", List.of("A", "B"))).containsExactly("A", "B");
        assertThat(subs.subscribe("c1", List.of("B", "C"))).containsExactly("C");
        assertThat(subs.unsubscribe("c1", List.of("A", "Z"))).containsExactly("A");
        assertThat(subs.unsubscribe("nobody", List.of("A"))).isEmpty();
    }

    @Test
    void unsubscribeAllForgetsTheClientAndReleasesItsSymbols() {
        subs.subscribe("c1", List.of("A", "B"));
        subs.subscribe("c2", List.of("B"));
        subs.unsubscribeAll("c1");
        assertThat(subs.getClientSubscriptions("c1")).isEmpty();
        assertThat(subs.getSubscribers("A")).isEmpty();
        assertThat(subs.getSubscribers("B")).containsExactly("c2");
        assertThat(subs.getActiveSymbols()).containsExactly("B");
        assertThat(backend.get(backend.size() - 1)).isEqualTo(new Change(Action.unsubscribe, List.of("A")));
    }

    @Test
    void aFailingBackendDoesNotFailTheSubscription() {
        SubscriptionManager failing = new SubscriptionManager((a, s) -> {
            throw new IllegalStateException("redis down");
        });
        assertThat(failing.subscribe("c1", List.of("A"))).containsExactly("A");
        assertThat(failing.getSubscribers("A")).containsExactly("c1");
        assertThat(failing.unsubscribeAll("c1")).containsExactly("A");
    }

    @Test
    void concurrentChurnEndsBalanced() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            String client = "c" + t;
            Thread th = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    subs.subscribe(client, List.of("S" + (i % 7), "S" + (i % 5)));
                    subs.unsubscribe(client, List.of("S" + (i % 7)));
                }
                subs.unsubscribeAll(client);
            });
            th.start();
            threads.add(th);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(subs.getActiveSymbols()).isEmpty();
        long subscribes = backend.stream().filter(c -> c.action() == Action.subscribe).mapToLong(c -> c.symbols().size()).sum();
        long unsubscribes = backend.stream().filter(c -> c.action() == Action.unsubscribe).mapToLong(c -> c.symbols().size()).sum();
        assertThat(subscribes).isEqualTo(unsubscribes);
    }
}
