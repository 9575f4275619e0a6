package io.stocktracker.streams.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.AlertDefinition;
import io.stocktracker.schemas.model.AlertFired;
import io.stocktracker.schemas.model.AlertRule;
import io.stocktracker.schemas.model.RawQuote;
import io.stocktracker.streams.StreamsConfig;
import io.stocktracker.streams.serde.JsonSerde;
import io.stocktracker.streams.topology.QuoteTopology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The alert evaluation of the pure topology, without a broker. */
class AlertTopologyTest {
    static final Instant WALL_CLOCK = Instant.parse("2024-01-12T00:00:00Z");
    static final Instant T = Instant.parse("2024-01-10T10:30:00Z");

    TopologyTestDriver driver;
    TestInputTopic<String, byte[]> raw;
    TestInputTopic<String, byte[]> definitions;
    TestOutputTopic<String, AlertFired> fired;
    TestOutputTopic<String, byte[]> definitionsOut;
    int second;

    @BeforeEach
    void startDriver() {
        StreamsConfig config = StreamsConfig.fromEnv(Map.of(
                StreamsConfig.STATE_DIR, Path.of("target", "ttd-state", UUID.randomUUID().toString()).toString(),
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES, "0"));
        Properties props = config.kafkaStreamsProperties();
        props.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        driver = new TopologyTestDriver(QuoteTopology.build(config), props, WALL_CLOCK);
        raw = driver.createInputTopic(Topics.QUOTES_RAW, new StringSerializer(), new ByteArraySerializer());
        definitions = driver.createInputTopic(Topics.ALERTS_DEFINITIONS, new StringSerializer(), new ByteArraySerializer());
        fired = driver.createOutputTopic(Topics.ALERTS_FIRED, new StringDeserializer(), JsonSerde.of(AlertFired.class).deserializer());
        definitionsOut = driver.createOutputTopic(Topics.ALERTS_DEFINITIONS, new StringDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    void quote(String symbol, double price) {
        Instant at = T.plusSeconds(second++);
        RawQuote q = new RawQuote(symbol, price, null, null, null, null, null, null, null, at, "Simulated", at.plusMillis(50));
        raw.pipeInput(symbol, JsonCodec.toBytes(q), at);
    }

    void define(String user, AlertRule rule) {
        definitions.pipeInput(AlertDefinition.key(user, rule.alertId()), JsonCodec.toBytes(new AlertDefinition(user, rule)), T.minusSeconds(60));
    }

    static AlertRule above(String id, String symbol, double price) {
        return new AlertRule(id, symbol, price, null, null, null, T);
    }

    @Test
    void anAboveAlertFiresOnceAtTheFirstQuoteAtOrAboveAndItsDefinitionIsTombstoned() {
        define("alice", above("a1", "TCS", 105.0));
        quote("TCS", 100.0);
        quote("TCS", 104.0);
        quote("TCS", 106.0);
        quote("TCS", 107.0);
        quote("TCS", 108.0);

        List<KeyValue<String, AlertFired>> out = fired.readKeyValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).key).isEqualTo("alice|a1");
        assertThat(out.get(0).value.user()).isEqualTo("alice");
        assertThat(out.get(0).value.price()).isEqualTo(106.0);
        assertThat(out.get(0).value.triggeredAt()).isEqualTo(T.plusSeconds(2));
        List<KeyValue<String, byte[]>> tombstones = definitionsOut.readKeyValuesToList();
        assertThat(tombstones).hasSize(1);
        assertThat(tombstones.get(0).key).isEqualTo("alice|a1");
        assertThat(tombstones.get(0).value).isNull();
        assertThat(driver.<String, AlertSet>getKeyValueStore(AlertTopology.ALERTS_BY_SYMBOL_STORE).get("TCS").alerts()).isEmpty();
    }

    @Test
    void oneQuoteFiresTheAlertsOfEveryUserOnItsSymbolAndNoneOfAnotherSymbol() {
        define("alice", above("a1", "TCS", 105.0));
        define("bob", new AlertRule("b1", "TCS", null, 110.0, null, null, T));
        define("carol", above("c1", "INFY", 1.0));
        quote("TCS", 106.0);

        assertThat(fired.readKeyValuesToList()).extracting(kv -> kv.key).containsExactlyInAnyOrder("alice|a1", "bob|b1");
    }

    @Test
    void aDeletedAlertNeverFires() {
        define("alice", above("a1", "TCS", 105.0));
        quote("TCS", 100.0);
        definitions.pipeInput("alice|a1", (byte[]) null);
        quote("TCS", 200.0);

        assertThat(fired.isEmpty()).isTrue();
    }

    @Test
    void aMovePercentAlertFiresOnAMoveWithinItsWindowOnly() {
        define("alice", new AlertRule("m1", "TCS", null, null, 5.0, 10, T));
        quote("TCS", 100.0); // window opens at 100
        quote("TCS", 104.0);
        second += 20;        // the window closed: a new one opens at 106
        quote("TCS", 106.0);
        assertThat(fired.isEmpty()).isTrue();
        quote("TCS", 100.5); // -5.19 % of 106 within the window

        List<AlertFired> out = fired.readValuesToList();
        assertThat(out).hasSize(1);
        assertThat(out.get(0).price()).isEqualTo(100.5);
    }

    @Test
    void definitionsThatAreNotUsableAreIgnoredAndTheOthersStillFire() {
        definitions.pipeInput("mallory|x", "not json".getBytes(StandardCharsets.UTF_8));
        // the key does not match the value's user and id: not the owner's alert
        definitions.pipeInput("mallory|x", JsonCodec.toBytes(new AlertDefinition("alice", above("a9", "TCS", 1.0))));
        define("alice", above("a1", "TCS", 105.0));
        quote("TCS", 106.0);

        assertThat(fired.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly("alice|a1");
    }
}
