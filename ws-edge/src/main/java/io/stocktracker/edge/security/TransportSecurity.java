package io.stocktracker.edge.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * TLS, HTTPS enforcement and proxy trust: the {@code TLS_*}, {@code REQUIRE_HTTPS}, {@code HSTS_MAX_AGE_SECONDS} and
 * {@code TRUSTED_PROXIES} part of {@code EdgeConfig}.
 *
 * @param keystorePath PKCS12 file with the certificate chain and its private key; null = no TLS listener
 * @param tlsPort port of the https/wss listener (0 = any free port)
 * @param keystoreReload how often the keystore file is checked for a renewed certificate (zero = never)
 * @param requireHttps plain-HTTP page and REST requests are redirected (308) and plain ws:// upgrades refused
 * @param hstsMaxAge {@code Strict-Transport-Security} max-age on https responses (zero = no header)
 */
public record TransportSecurity(Path keystorePath, String keystorePassword, int tlsPort, Duration keystoreReload,
                                boolean requireHttps, Duration hstsMaxAge, TrustedProxies trustedProxies) {

    public static final TransportSecurity NONE = new TransportSecurity(null, "", 0, Duration.ZERO, false, Duration.ZERO,
            TrustedProxies.NONE);

    public TransportSecurity {
        keystorePassword = keystorePassword == null ? "" : keystorePassword;
        trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
    }

    public boolean tlsEnabled() {
        return keystorePath != null;
    }

    /**
     * What is wrong with these settings, each naming its key; empty when they can be used. Opens the keystore, so a
     * wrong path or password stops the edge at start rather than at the first TLS handshake.
     */
    public List<String> problems() {
        if (!tlsEnabled()) {
            List<String> out = new ArrayList<>();
            if (!keystorePassword.isEmpty()) {
                out.add("TLS_KEYSTORE_PASSWORD is set but TLS_KEYSTORE_PATH is empty");
            }
            if (requireHttps && trustedProxies.isEmpty()) {
                out.add("REQUIRE_HTTPS=true needs TLS_KEYSTORE_PATH (TLS on the edge) or TRUSTED_PROXIES (a TLS-terminating "
                        + "proxy that sends X-Forwarded-Proto); otherwise no request could ever count as https");
            }
            return out;
        }
        if (!Files.isRegularFile(keystorePath)) {
            return List.of("TLS_KEYSTORE_PATH: no such file " + keystorePath.toAbsolutePath());
        }
        if (!Files.isReadable(keystorePath)) {
            return List.of("TLS_KEYSTORE_PATH: " + keystorePath.toAbsolutePath() + " is not readable");
        }
        KeyStore store;
        try (InputStream in = Files.newInputStream(keystorePath)) {
            store = KeyStore.getInstance("PKCS12");
            store.load(in, keystorePassword.toCharArray());
        } catch (IOException e) {
            // PKCS12 reports a wrong password as an IOException whose cause is an UnrecoverableKeyException
            if (e.getCause() instanceof java.security.UnrecoverableKeyException || String.valueOf(e.getMessage())
                    .toLowerCase(java.util.Locale.ROOT).contains("password")) {
                return List.of("TLS_KEYSTORE_PASSWORD does not open TLS_KEYSTORE_PATH " + keystorePath + " (wrong password)");
            }
            return List.of("TLS_KEYSTORE_PATH: " + keystorePath + " is not a readable PKCS12 keystore (" + e.getMessage() + ")");
        } catch (GeneralSecurityException e) {
            return List.of("TLS_KEYSTORE_PATH: " + keystorePath + " is not a readable PKCS12 keystore (" + e.getMessage() + ")");
        }
        try {
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    return List.of();
                }
            }
        } catch (GeneralSecurityException e) {
            return List.of("TLS_KEYSTORE_PATH: " + keystorePath + " cannot be listed (" + e.getMessage() + ")");
        }
        return List.of("TLS_KEYSTORE_PATH: " + keystorePath + " holds no private key (a certificate alone cannot serve TLS)");
    }

    @Override
    public String toString() {
        // never print the password
        return "TransportSecurity[tls=" + (tlsEnabled() ? keystorePath + ":" + tlsPort : "off") + ", requireHttps="
                + requireHttps + ", hstsMaxAge=" + hstsMaxAge.toSeconds() + "s, trustedProxies=" + trustedProxies + "]";
    }
}
