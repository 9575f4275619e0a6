package io.stocktracker.edge.security;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How AUTH_MODE=jwt verifies a token, read by {@code EdgeConfig} (JWT_SECRET, JWT_JWKS_URL, JWT_JWKS_FILE,
 * JWT_ALGORITHMS, JWT_ISSUER, JWT_AUDIENCE, JWT_MAX_LIFETIME_SECONDS).
 *
 * @param secret      HS256 key; null without one
 * @param jwksUrl     where the issuer publishes its public keys (RS256/ES256); null without one
 * @param jwksFile    the same keys from a file, read once at start; null without one
 * @param algorithms  the only {@code alg} values accepted; never {@code none}
 * @param issuer      the required {@code iss}; null: not checked
 * @param audience    a value the {@code aud} claim must contain; null: not checked
 * @param maxLifetime longest {@code exp - iat} (or {@code exp - now} without {@code iat}) accepted
 */
public record JwtSettings(String secret, URI jwksUrl, Path jwksFile, Set<JWSAlgorithm> algorithms, String issuer,
                          String audience, Duration maxLifetime) {
    /** HS256 for the shared secret; RS256 and ES256 for public keys. Anything else is refused at start. */
    public static final Set<JWSAlgorithm> SUPPORTED = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    /** RFC 7518: an HS256 key needs at least 256 bits. */
    static final int MIN_SECRET_BYTES = 32;

    public JwtSettings {
        algorithms = Set.copyOf(algorithms);
    }

    /**
     * @param algorithmNames comma-separated; empty: HS256 when there is a secret, RS256 and ES256 when there are
     *                       public keys
     */
    public static JwtSettings of(String secret, String jwksUrl, String jwksFile, List<String> algorithmNames, String issuer,
                                 String audience, Duration maxLifetime, List<String> problems) {
        String s = blankToNull(secret);
        URI url = null;
        if (blankToNull(jwksUrl) != null) {
            try {
                url = URI.create(jwksUrl.trim());
                if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) || url.getHost() == null) {
                    problems.add("JWT_JWKS_URL must be an http(s) URL (was '" + jwksUrl + "')");
                    url = null;
                }
            } catch (IllegalArgumentException e) {
                problems.add("JWT_JWKS_URL is not a URL (was '" + jwksUrl + "')");
            }
        }
        Path file = blankToNull(jwksFile) == null ? null : Path.of(jwksFile.trim());
        Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
        if (algorithmNames.isEmpty()) {
            if (s != null) {
                algorithms.add(JWSAlgorithm.HS256);
            }
            if (url != null || file != null) {
                algorithms.add(JWSAlgorithm.RS256);
                algorithms.add(JWSAlgorithm.ES256);
            }
        }
        for (String name : algorithmNames) {
            JWSAlgorithm alg = JWSAlgorithm.parse(name);
            if (!SUPPORTED.contains(alg)) {
                problems.add("JWT_ALGORITHMS may name only HS256, RS256, ES256 (was '" + name + "')");
            } else {
                algorithms.add(alg);
            }
        }
        return new JwtSettings(s, url, file, algorithms, blankToNull(issuer), blankToNull(audience), maxLifetime);
    }

    /** What stops AUTH_MODE=jwt from starting with these settings: each a sentence naming its key. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (secret == null && jwksUrl == null && jwksFile == null) {
            problems.add("AUTH_MODE=jwt needs JWT_SECRET (HS256) or JWT_JWKS_URL / JWT_JWKS_FILE (RS256, ES256)");
        }
        if (secret != null && secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            problems.add("JWT_SECRET must be at least " + MIN_SECRET_BYTES + " characters (HS256)");
        }
        if (jwksUrl != null && jwksFile != null) {
            problems.add("set JWT_JWKS_URL or JWT_JWKS_FILE, not both");
        }
        if (jwksFile != null && !Files.isReadable(jwksFile)) {
            problems.add("JWT_JWKS_FILE is not a readable file (" + jwksFile + ")");
        }
        if (algorithms.contains(JWSAlgorithm.HS256) && secret == null) {
            problems.add("JWT_ALGORITHMS names HS256 but JWT_SECRET is empty");
        }
        if ((algorithms.contains(JWSAlgorithm.RS256) || algorithms.contains(JWSAlgorithm.ES256)) && jwksUrl == null && jwksFile == null) {
            problems.add("JWT_ALGORITHMS names RS256/ES256 but neither JWT_JWKS_URL nor JWT_JWKS_FILE is set");
        }
        if (algorithms.isEmpty()) {
            problems.add("JWT_ALGORITHMS accepts no algorithm");
        }
        return problems;
    }

    @Override
    public String toString() {
        // never the secret
        return "JwtSettings[algorithms=" + algorithms + ", jwks=" + (jwksUrl != null ? jwksUrl : jwksFile) + ", issuer=" + issuer
                + ", audience=" + audience + ", maxLifetime=" + maxLifetime + "]";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
