package io.stocktracker.kit.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whole topics without a consumer group (every instance needs all of them): once the topics exist it assigns
 * every partition, seeks to the start position, reads up to the end offsets taken right after that ("caught up"),
 * then keeps following, or stops there. What is done with each record and with "caught up" is the caller's.
 *
 * <p>A missing topic is never created here (its owner sets its partitions and compaction): the follower waits for
 * it. With a grace period, a topic still missing after it counts as caught up with nothing read (that is the truth:
 * nothing was written yet), and a follower keeps looking for it. An unreachable broker is different: nothing is
 * known, so the grace starts over once it answers.
 */
public final class TopicFollower implements Runnable, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TopicFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofMillis(500);
    private static final Duration START_OVER_PAUSE = Duration.ofSeconds(1);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    static final Duration OFFSETS_TIMEOUT = Duration.ofSeconds(30);
    private static final long UNREACHABLE_LOG_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** What the reader does with what it reads; called on the follower's thread. */
    public interface Listener {
        void record(ConsumerRecord<byte[], byte[]> record);

        /**
         * Called once: the end offsets taken at start are reached, or ({@code topicsMissing}) a topic was still missing
         * after the grace period.
         */
        void caughtUp(boolean topicsMissing);

        /** After every poll, with records or without: for work that runs on the reader's clock. */
        default void polled() {
        }

        /** A listener of a record handler and a caught-up handler ({@code true}: the topics were missing). */
        static Listener of(Consumer<ConsumerRecord<byte[], byte[]>> onRecord,
                           Consumer<Boolean> onCaughtUp) {
            return new Listener() {
                @Override
                public void record(ConsumerRecord<byte[], byte[]> record) {
                    onRecord.accept(record);
                }

                @Override
                public void caughtUp(boolean topicsMissing) {
                    onCaughtUp.accept(topicsMissing);
                }
            };
        }
    }

    private final String name;
    private final List<String> topics;
    private final Duration missingTopicGrace;
    private final StartPosition start;
    private final boolean follow;
    private final boolean startOverAfterFailure;
    private final Listener listener;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** Taken by run(), or by close() when nothing ever ran: whoever takes it closes the consumer. */
    private final AtomicBoolean claimed = new AtomicBoolean();
    private volatile boolean caughtUp;

    private TopicFollower(Builder b, Listener listener) {
        this.name = b.name;
        this.topics = b.topics;
        this.missingTopicGrace = b.missingTopicGrace;
        this.start = b.start;
        this.follow = b.follow;
        this.startOverAfterFailure = b.startOverAfterFailure;
        this.listener = listener;
        this.consumer = new KafkaConsumer<>(b.consumerProperties);
        this.thread = new Thread(this, name);
        this.thread.setDaemon(true);
    }

    /** @param name the thread's name, also the prefix of the follower's log lines */
    public static Builder reading(Properties consumerProperties, List<String> topics, String name) {
        return new Builder(consumerProperties, topics, name);
    }

    /** Runs on a thread of the follower's own. */
    public void start() {
        thread.start();
    }

    /** True once {@link Listener#caughtUp} has been called. */
    public boolean caughtUp() {
        return caughtUp;
    }

    /** Reads on the calling thread until closed (or caught up, when not following); closes the consumer after. */
    @Override
    public void run() {
        if (!claimed.compareAndSet(false, true)) {
            return;
        }
        try {
            while (!stopping()) {
                try {
                    read();
                    return;
                } catch (WakeupException | InterruptException e) {
                    return;
                } catch (RuntimeException e) {
                    if (stopping()) {
                        return;
                    }
                    if (!startOverAfterFailure) {
                        log.error("{}: reading {} stopped; what was read stays as it is", name, topics, e);
                        return;
                    }
                    log.warn("{}: reading {} failed ({}), starting over", name, topics, e.toString());
                    pause(START_OVER_PAUSE);
                }
            }
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private void read() {
        long started = System.nanoTime();
        List<TopicPartition> partitions = awaitPartitions();
        if (partitions.isEmpty()) {
            return;
        }
        consumer.assign(partitions);
        start.seek(consumer, partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, OFFSETS_TIMEOUT);
        long records = 0;
        while (!stopping()) {
            if (!caughtUp && reached(end)) {
                log.info("{}: caught up with {}: {} records ({} partitions) in {} ms", name, topics, records, partitions.size(),
                        (System.nanoTime() - started) / 1_000_000);
                markCaughtUp(false);
            }
            if (caughtUp && !follow) {
                return;
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                records++;
                listener.record(r);
            }
            listener.polled();
        }
    }

    /** Every topic's partitions once all exist; empty when stopping, or when missing past the grace and not following. */
    private List<TopicPartition> awaitPartitions() {
        long missingSince = System.nanoTime();
        long unreachableLogged = 0;
        boolean missingLogged = false;
        while (!stopping()) {
            try {
                List<TopicPartition> partitions = new ArrayList<>();
                Set<String> missing = new TreeSet<>();
                for (String topic : topics) {
                    List<PartitionInfo> info = consumer.partitionsFor(topic, METADATA_TIMEOUT);
                    if (info == null || info.isEmpty()) {
                        missing.add(topic);
                    } else {
                        info.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
                    }
                }
                if (missing.isEmpty()) {
                    return partitions;
                }
                if (!missingLogged) {
                    missingLogged = true;
                    log.warn("{}: topic(s) {} do not exist yet (their owner creates them); waiting{}", name, missing,
                            missingTopicGrace == null ? "" : " up to " + missingTopicGrace + " before counting them as empty");
                }
                if (missingTopicGrace != null && !caughtUp && System.nanoTime() - missingSince >= missingTopicGrace.toNanos()) {
                    log.warn("{}: topic(s) {} still missing: caught up with nothing read{}", name, missing,
                            follow ? "; still looking for them" : "");
                    markCaughtUp(true);
                    if (!follow) {
                        return List.of();
                    }
                }
            } catch (TimeoutException e) {
                missingSince = System.nanoTime();
                if (missingSince - unreachableLogged > UNREACHABLE_LOG_NANOS) {
                    unreachableLogged = missingSince;
                    log.warn("{}: Kafka does not answer; waiting for it", name);
                }
            }
            pause(RETRY);
        }
        return List.of();
    }

    private void markCaughtUp(boolean topicsMissing) {
        caughtUp = true;
        listener.caughtUp(topicsMissing);
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey(), OFFSETS_TIMEOUT) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private boolean stopping() {
        return stopped.getCount() == 0;
    }

    private void pause(Duration d) {
        try {
            stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped.countDown();
        }
    }

    /** Stops at the next poll; waits for the follower's own thread to finish when it runs one. */
    @Override
    public void close() {
        stopped.countDown();
        if (claimed.compareAndSet(false, true)) {
            consumer.close(Duration.ZERO);
            return;
        }
        consumer.wakeup(); // not an interrupt: the consumer's own close must still be able to talk to the broker
        if (thread.getState() == Thread.State.NEW) {
            return; // run() on a thread of the caller's: it closes the consumer as it ends
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How a follower reads; every option has the default that most readers want. */
    public static final class Builder {
        private final Properties consumerProperties;
        private final List<String> topics;
        private final String name;
        private Duration missingTopicGrace;
        private StartPosition start = StartPosition.BEGINNING;
        private boolean follow = true;
        private boolean startOverAfterFailure;

        private Builder(Properties consumerProperties, List<String> topics, String name) {
            this.consumerProperties = consumerProperties;
            this.topics = List.copyOf(topics);
            this.name = name;
        }

        /** A topic still missing after {@code grace} counts as caught up, empty. Without it the follower waits for ever. */
        public Builder missingTopicGrace(Duration grace) {
            this.missingTopicGrace = grace;
            return this;
        }

        /** Where reading starts; from the beginning unless given. */
        public Builder from(StartPosition position) {
            this.start = position;
            return this;
        }

        /** Stop once caught up instead of following. */
        public Builder untilCaughtUp() {
            this.follow = false;
            return this;
        }

        /** After a failure read again from the start position, instead of stopping (logged) as by default. */
        public Builder startOverAfterFailure() {
            this.startOverAfterFailure = true;
            return this;
        }

        public TopicFollower build(Listener listener) {
            return new TopicFollower(this, listener);
        }
    }
}
