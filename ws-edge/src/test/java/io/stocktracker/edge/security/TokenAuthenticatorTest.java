package io.stocktracker.edge.security;

import static io.stocktracker.edge.security.TestTokens.claims;
import static io.stocktracker.edge.security.TestTokens.hs256;
import static io.stocktracker.edge.security.TestTokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.sun.net.httpserver.HttpServer;
import io.stocktracker.edge.security.TokenAuthenticator.Failure;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenAuthenticatorTest {
    static final String SECRET = "a-unit-test-secret-that-is-long-enough";
    static final Duration DAY = Duration.ofDays(1);
    static final RSAKey RSA = TestTokens.rsa("rsa-1");
    static final ECKey EC = TestTokens.ec("ec-1");
    final TokenAuthenticator auth = authenticator(SECRET, null, null, List.of(), null, null, DAY);

    @TempDir
    Path dir;

    @Test
    void readsSubjectExpSymbolsAndTier() {
        Instant exp = in(600);
        String token = hs256(SECRET, claims("alice", exp).claim("symbols", List.of("aapl", " msft ")).claim("tier", "pro"));
        Principal p = auth.verify(token).principal();
        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.expiresAt()).isEqualTo(exp);
        assertThat(p.symbols()).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(p.tier()).isEqualTo("pro");
        assertThat(p.allows("AAPL")).isTrue();
        assertThat(p.allows("TSLA")).isFalse();
    }

    @Test
    void aTokenWithoutExpOrWithoutSubIsRefused() {
        // without exp it would never expire; without sub it would escape every per-user cap
        String noExp = hs256(SECRET, new JWTClaimsSet.Builder().subject("bob"));
        assertThat(auth.verify(noExp).failure()).isEqualTo(Failure.NO_EXPIRY);
        String noSub = hs256(SECRET, new JWTClaimsSet.Builder().expirationTime(Date.from(in(600))));
        assertThat(auth.verify(noSub).failure()).isEqualTo(Failure.NO_SUBJECT);
        String blankSub = hs256(SECRET, claims(" ", in(600)));
        assertThat(auth.verify(blankSub).failure()).isEqualTo(Failure.NO_SUBJECT);
    }

    @Test
    void aTokenWithoutOptionalClaimsAllowsEverySymbolAndHasNoTier() {
        Principal p = auth.verify(hs256(SECRET, claims("bob", in(600)))).principal();
        assertThat(p.symbols()).isNull();
        assertThat(p.allows("ANY")).isTrue();
        assertThat(p.tier()).isNull();
    }

    @Test
    void aSymbolsClaimThatIsNotAListOfStringsAllowsNothing() {
        Principal p = auth.verify(hs256(SECRET, claims("c", in(600)).claim("symbols", "AAPL"))).principal();
        assertThat(p.symbols()).isEmpty();
        assertThat(p.allows("AAPL")).isFalse();
    }

    @Test
    void aNonStringTierIsKeptAsAnUnknownTierNotDropped() {
        Principal p = auth.verify(hs256(SECRET, claims("c", in(600)).claim("tier", 3))).principal();
        assertThat(p.tier()).isEqualTo("3");
    }

    @Test
    void eachRefusalSaysWhy() {
        assertThat(auth.verify(null).failure()).isEqualTo(Failure.MISSING);
        assertThat(auth.verify(" ").failure()).isEqualTo(Failure.MISSING);
        assertThat(auth.verify("not-a-jwt").failure()).isEqualTo(Failure.MALFORMED);
        assertThat(auth.verify("a".repeat(TokenAuthenticator.MAX_TOKEN_CHARS + 1)).failure()).isEqualTo(Failure.MALFORMED);
        assertThat(auth.verify(hs256("another-secret-another-secret-another", claims("m", in(600)))).failure())
                .isEqualTo(Failure.INVALID);
        assertThat(auth.verify(hs256(SECRET, claims("a", Instant.now().minusSeconds(60)))).failure()).isEqualTo(Failure.EXPIRED);
        assertThat(auth.verify("not-a-jwt").principal()).isNull();
        for (Failure f : Failure.values()) {
            assertThat(("Token " + f.reason()).getBytes(StandardCharsets.UTF_8)).as("fits a close reason").hasSizeLessThan(123);
        }
    }

    @Test
    void expIsStrictEvenThoughNbfHasLeeway() {
        // the edge closes a connection at exp, so it must not accept a token that is already past it
        assertThat(auth.verify(hs256(SECRET, claims("a", Instant.now().minusSeconds(2)))).failure()).isEqualTo(Failure.EXPIRED);
        String nbfWithinLeeway = hs256(SECRET, claims("a", in(600)).notBeforeTime(Date.from(Instant.now().plusSeconds(2))));
        assertThat(auth.verify(nbfWithinLeeway).ok()).isTrue();
        String nbfLater = hs256(SECRET, claims("a", in(600)).notBeforeTime(Date.from(Instant.now().plusSeconds(60))));
        assertThat(auth.verify(nbfLater).failure()).isEqualTo(Failure.NOT_YET_VALID);
    }

    @Test
    void anUnsignedTokenIsNeverAccepted() {
        String none = new PlainJWT(claims("eve", in(600)).build()).serialize();
        assertThat(none).endsWith(".");
        assertThat(auth.verify(none).failure()).isEqualTo(Failure.ALGORITHM);
    }

    @Test
    void aTokenLivingLongerThanTheMaximumIsRefused() {
        TokenAuthenticator hourly = authenticator(SECRET, null, null, List.of(), null, null, Duration.ofHours(1));
        Instant now = Instant.now();
        assertThat(hourly.verify(hs256(SECRET, claims("a", in(3500)))).ok()).isTrue();
        // exp - iat
        String longLived = hs256(SECRET, claims("a", in(600)).issueTime(Date.from(now.minus(Duration.ofHours(2)))));
        assertThat(hourly.verify(longLived).failure()).isEqualTo(Failure.TOO_LONG_LIVED);
        // no iat: exp - now
        String farExp = hs256(SECRET, new JWTClaimsSet.Builder().subject("a").expirationTime(Date.from(in(7200))));
        assertThat(hourly.verify(farExp).failure()).isEqualTo(Failure.TOO_LONG_LIVED);
        // an iat set late cannot hide a far exp
        String lateIat = hs256(SECRET, claims("a", in(86_400 * 365)).issueTime(Date.from(in(86_400 * 365 - 600))));
        assertThat(hourly.verify(lateIat).ok()).isFalse();
    }

    @Test
    void issuerAndAudienceAreCheckedWhenConfigured() {
        TokenAuthenticator strict = authenticator(SECRET, null, null, List.of(), "https://issuer.example", "stocktracker", DAY);
        assertThat(strict.verify(hs256(SECRET, claims("a", in(600)).issuer("https://issuer.example").audience(List.of("other", "stocktracker"))))
                .ok()).isTrue();
        assertThat(strict.verify(hs256(SECRET, claims("a", in(600)).issuer("https://evil.example").audience("stocktracker"))).failure())
                .isEqualTo(Failure.WRONG_ISSUER);
        assertThat(strict.verify(hs256(SECRET, claims("a", in(600)).audience("stocktracker"))).failure()).isEqualTo(Failure.WRONG_ISSUER);
        assertThat(strict.verify(hs256(SECRET, claims("a", in(600)).issuer("https://issuer.example").audience("other"))).failure())
                .isEqualTo(Failure.WRONG_AUDIENCE);
        assertThat(strict.verify(hs256(SECRET, claims("a", in(600)).issuer("https://issuer.example"))).failure())
                .isEqualTo(Failure.WRONG_AUDIENCE);
        assertThat(auth.verify(hs256(SECRET, claims("a", in(600)).issuer("anyone"))).ok()).as("not configured: not checked").isTrue();
    }

    @Test
    void rs256AndEs256TokensVerifyAgainstAJwksFile() throws Exception {
        Path jwks = Files.writeString(dir.resolve("jwks.json"), TestTokens.jwks(RSA, EC));
        TokenAuthenticator keys = authenticator(null, null, jwks.toString(), List.of(), null, null, DAY);
        assertThat(keys.verify(sign(RSA, claims("rita", in(600)))).principal().subject()).isEqualTo("rita");
        assertThat(keys.verify(sign(EC, claims("eric", in(600)))).principal().subject()).isEqualTo("eric");
        RSAKey stranger = TestTokens.rsa("rsa-1"); // same kid, another key
        assertThat(keys.verify(sign(stranger, claims("mallory", in(600)))).failure()).isEqualTo(Failure.INVALID);
        assertThat(keys.verify(sign(RSA, new JWTClaimsSet.Builder().subject("rita"))).failure()).isEqualTo(Failure.NO_EXPIRY);
        assertThat(keys.verify(hs256(SECRET, claims("h", in(600)))).failure()).as("no secret: HS256 is not accepted")
                .isEqualTo(Failure.ALGORITHM);
    }

    @Test
    void anHs256TokenSignedWithThePublishedPublicKeyIsRefused() throws Exception {
        // the classic confusion: the attacker MACs with the RSA public key, hoping the verifier uses it as a secret
        Path jwks = Files.writeString(dir.resolve("jwks.json"), TestTokens.jwks(RSA));
        TokenAuthenticator both = authenticator(SECRET, null, jwks.toString(), List.of(), null, null, DAY);
        for (byte[] publicKey : List.of(RSA.toPublicKey().getEncoded(), RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
            assertThat(both.verify(hs256(publicKey, claims("eve", in(600)))).failure()).isEqualTo(Failure.INVALID);
        }
        assertThat(both.verify(hs256(SECRET, claims("h", in(600)))).ok()).isTrue();
        assertThat(both.verify(sign(RSA, claims("r", in(600)))).ok()).isTrue();
        TokenAuthenticator rsOnly = authenticator(SECRET, null, jwks.toString(), List.of("RS256"), null, null, DAY);
        assertThat(rsOnly.verify(hs256(SECRET, claims("h", in(600)))).failure()).as("not in JWT_ALGORITHMS").isEqualTo(Failure.ALGORITHM);
    }

    @Test
    void tokensVerifyAgainstAJwksUrlFetchedOnceAndCached() throws Exception {
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = TestTokens.jwks(RSA, EC).getBytes(StandardCharsets.UTF_8);
        server.createContext("/jwks.json", ex -> {
            fetches.incrementAndGet();
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try {
            TokenAuthenticator remote = authenticator(null, "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json", null,
                    List.of(), null, null, DAY);
            for (int i = 0; i < 5; i++) {
                assertThat(remote.verify(sign(RSA, claims("u" + i, in(600)))).ok()).isTrue();
                assertThat(remote.verify(sign(EC, claims("e" + i, in(600)))).ok()).isTrue();
            }
            assertThat(fetches.get()).isEqualTo(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnreachableJwksUrlRefusesSayingTheKeysAreUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        TokenAuthenticator remote = authenticator(null, "http://127.0.0.1:" + closedPort + "/jwks.json", null, List.of(), null, null, DAY);
        assertThat(remote.verify(sign(RSA, claims("u", in(600)))).failure()).isEqualTo(Failure.KEYS_UNAVAILABLE);
    }

    @Test
    void aJwksFileThatIsNoKeySetStopsTheStart() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"not\":\"keys\"");
        assertThatThrownBy(() -> authenticator(null, null, bad.toString(), List.of(), null, null, DAY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JWT_JWKS_FILE");
    }

    @Test
    void settingsRefuseNoneUnknownAlgorithmsAndMissingKeys() {
        List<String> problems = new ArrayList<>();
        JwtSettings none = JwtSettings.of(SECRET, "", "", List.of("none", "HS512"), "", "", DAY, problems);
        assertThat(problems).hasSize(2).allMatch(p -> p.startsWith("JWT_ALGORITHMS may name only HS256, RS256, ES256"));
        assertThat(none.algorithms()).isEmpty();
        assertThat(none.problems()).contains("JWT_ALGORITHMS accepts no algorithm");
        assertThat(JwtSettings.of("", "", "", List.of(), "", "", DAY, new ArrayList<>()).problems())
                .contains("AUTH_MODE=jwt needs JWT_SECRET (HS256) or JWT_JWKS_URL / JWT_JWKS_FILE (RS256, ES256)");
        assertThat(JwtSettings.of("short", "", "", List.of(), "", "", DAY, new ArrayList<>()).problems())
                .contains("JWT_SECRET must be at least 32 characters (HS256)");
        assertThat(JwtSettings.of(SECRET, "", "", List.of("RS256"), "", "", DAY, new ArrayList<>()).problems())
                .contains("JWT_ALGORITHMS names RS256/ES256 but neither JWT_JWKS_URL nor JWT_JWKS_FILE is set");
        List<String> urlProblems = new ArrayList<>();
        JwtSettings.of("", "file:///etc/passwd", "", List.of(), "", "", DAY, urlProblems);
        assertThat(urlProblems).containsExactly("JWT_JWKS_URL must be an http(s) URL (was 'file:///etc/passwd')");
        assertThat(JwtSettings.of(SECRET, "", "", List.of(), "", "", DAY, new ArrayList<>()).toString()).doesNotContain(SECRET);
    }

    static TokenAuthenticator authenticator(String secret, String url, String file, List<String> algorithms, String issuer,
                                            String audience, Duration maxLifetime) {
        List<String> problems = new ArrayList<>();
        JwtSettings settings = JwtSettings.of(secret, url, file, algorithms, issuer, audience, maxLifetime, problems);
        problems.addAll(settings.problems());
        assertThat(problems).isEmpty();
        return TokenAuthenticator.create(settings);
    }

    /** JWT times have whole seconds. */
    static Instant in(long seconds) {
        return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS);
    }
}
