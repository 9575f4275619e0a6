package io.stocktracker.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The partition tool of the other modules' tests, against a real redis-server. */
class TcpProxyTest {
    @Test
    void relaysUntilCutRefusesWhileCutAndRelaysAgainOnTheSamePortWhenHealed() throws Exception {
        try (EmbeddedRedis redis = EmbeddedRedis.start(); TcpProxy proxy = new TcpProxy(redis.port())) {
            RedisClient client = RedisClient.create(proxy.redisUrl());
            try {
                StatefulRedisConnection<String, String> c = client.connect();
                c.sync().set("k", "through the proxy");
                assertThat(c.sync().get("k")).isEqualTo("through the proxy");
                c.close();
                Socket relayed = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                relayed.setSoTimeout(5_000);

                proxy.cut();
                int read;
                try {
                    read = relayed.getInputStream().read();
                } catch (SocketException reset) {
                    read = -1;
                }
                assertThat(read).as("a relayed connection is dropped").isEqualTo(-1);
                relayed.close();
                assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), proxy.port()).close())
                        .isInstanceOf(ConnectException.class);

                proxy.heal();
                try (StatefulRedisConnection<String, String> again = client.connect()) {
                    assertThat(again.sync().get("k")).isEqualTo("through the proxy");
                }
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
