package io.stocktracker.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS / HTTPS / proxy keys of EdgeConfig: defaults, and each bad value named at start. */
class EdgeTransportConfigTest {
    @TempDir
    static Path dir;
    /** keytool takes about a second: one keystore for the class */
    static Path keystore;

    @BeforeAll
    static void keystore() throws Exception {
        keystore = TestKeystore.generate(dir);
    }

    @Test
    void tlsIsOffAndNobodyIsTrustedByDefault() {
        EdgeConfig c = EdgeConfig.defaults();
        assertThat(c.transport().tlsEnabled()).isFalse();
        assertThat(c.transport().tlsPort()).isEqualTo(8443);
        assertThat(c.transport().requireHttps()).isFalse();
        assertThat(c.transport().hstsMaxAge()).isEqualTo(Duration.ofDays(180));
        assertThat(c.transport().trustedProxies().isEmpty()).isTrue();
    }

    @Test
    void aValidKeystoreAndProxyListAreAccepted() throws Exception {
        EdgeConfig c = EdgeConfig.fromEnv(Map.of("TLS_KEYSTORE_PATH", keystore.toString(), "TLS_KEYSTORE_PASSWORD",
                TestKeystore.PASSWORD, "TLS_PORT", "9443", "REQUIRE_HTTPS", "true", "HSTS_MAX_AGE_SECONDS", "0",
                "TRUSTED_PROXIES", "10.0.0.0/8, fd00::/8"));
        assertThat(c.transport().tlsEnabled()).isTrue();
        assertThat(c.transport().tlsPort()).isEqualTo(9443);
        assertThat(c.transport().hstsMaxAge()).isZero();
        assertThat(c.transport().trustedProxies().entries()).containsExactly("10.0.0.0/8", "fd00::/8");
        assertThat(c.transport().toString()).doesNotContain(TestKeystore.PASSWORD);
    }

    @Test
    void aMissingKeystoreFileIsNamed() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TLS_KEYSTORE_PATH", dir.resolve("absent.p12").toString())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS_KEYSTORE_PATH: no such file").hasMessageContaining("absent.p12");
    }

    @Test
    void aWrongKeystorePasswordIsNamed() throws Exception {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TLS_KEYSTORE_PATH", keystore.toString(),
                "TLS_KEYSTORE_PASSWORD", "not-the-password")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS_KEYSTORE_PASSWORD does not open TLS_KEYSTORE_PATH");
    }

    @Test
    void aFileThatIsNoKeystoreIsNamed() throws Exception {
        Path pem = Files.writeString(dir.resolve("cert.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TLS_KEYSTORE_PATH", pem.toString(), "TLS_KEYSTORE_PASSWORD", "x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS_KEYSTORE_PATH");
    }

    @Test
    void badProxyEntriesPortsAndImpossibleHttpsAreAllReported() {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TRUSTED_PROXIES", "nginx.internal, 10.0.0.0/40",
                "TLS_PORT", "70000", "HSTS_MAX_AGE_SECONDS", "-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TRUSTED_PROXIES: 'nginx.internal'")
                .hasMessageContaining("TRUSTED_PROXIES: '10.0.0.0/40'")
                .hasMessageContaining("TLS_PORT must be between")
                .hasMessageContaining("HSTS_MAX_AGE_SECONDS must be between");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("REQUIRE_HTTPS", "true")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REQUIRE_HTTPS=true needs TLS_KEYSTORE_PATH");
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TLS_KEYSTORE_PASSWORD", "secret")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TLS_KEYSTORE_PASSWORD is set but TLS_KEYSTORE_PATH is empty")
                .hasMessageNotContaining("secret");
        assertThat(EdgeConfig.fromEnv(Map.of("REQUIRE_HTTPS", "true", "TRUSTED_PROXIES", "172.29.53.10"))
                .transport().requireHttps()).isTrue();
    }

    @Test
    void tlsPortMustDifferFromThePlainPort() throws Exception {
        assertThatThrownBy(() -> EdgeConfig.fromEnv(Map.of("TLS_KEYSTORE_PATH", keystore.toString(), "TLS_KEYSTORE_PASSWORD",
                TestKeystore.PASSWORD, "TLS_PORT", "8081")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLS_PORT must differ from EDGE_PORT");
    }
}
