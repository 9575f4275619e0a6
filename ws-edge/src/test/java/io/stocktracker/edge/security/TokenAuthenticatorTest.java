package io.stocktracker.edge.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.stocktracker.edge.security.TokenAuthenticator.Failure;
import io.stocktracker.edge.security.TokenAuthenticator.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

class TokenAuthenticatorTest {
    static final String SECRET = "a-unit-test-secret-that-is-long-enough";
    final TokenAuthenticator auth = TokenAuthenticator.hs256(SECRET);

    @Test
    void readsSubjectExpSymbolsAndTier() {
        Instant exp = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        String token = JWT.create().withSubject("alice").withExpiresAt(exp).withArrayClaim("symbols", new String[] {"aapl", " msft "})
                .withClaim("tier", "pro").sign(Algorithm.HMAC256(SECRET));
        Principal p = auth.verify(token).principal();
        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.expiresAt()).isEqualTo(exp);
        assertThat(p.symbols()).containsExactlyInAnyOrder("AAPL", "MSFT");
        assertThat(p.tier()).isEqualTo("pro");
        assertThat(p.allows("AAPL")).isTrue();
        assertThat(p.allows("TSLA")).isFalse();
    }

    @Test
    void aTokenWithoutOptionalClaimsAllowsEverySymbolAndNeverExpires() {
        Principal p = auth.verify(JWT.create().withSubject("bob").sign(Algorithm.HMAC256(SECRET))).principal();
        assertThat(p.symbols()).isNull();
        assertThat(p.allows("ANY")).isTrue();
        assertThat(p.tier()).isNull();
        assertThat(p.expiresAt()).isNull();
    }

    @Test
    void aNonStringTierIsKeptAsAnUnknownTierNotDropped() {
        Principal p = auth.verify(JWT.create().withSubject("c").withClaim("tier", 3).sign(Algorithm.HMAC256(SECRET))).principal();
        assertThat(p.tier()).isNotNull();
    }

    @Test
    void eachRefusalSaysWhy() {
        assertThat(auth.verify(null).failure()).isEqualTo(Failure.MISSING);
        assertThat(auth.verify(" ").failure()).isEqualTo(Failure.MISSING);
        assertThat(auth.verify("not-a-jwt").failure()).isEqualTo(Failure.MALFORMED);
        assertThat(auth.verify(JWT.create().withSubject("m").sign(Algorithm.HMAC256("another-secret-another-secret-another")))
                .failure()).isEqualTo(Failure.INVALID);
        assertThat(auth.verify(JWT.create().withSubject("a").withExpiresAt(Instant.now().minusSeconds(60))
                .sign(Algorithm.HMAC256(SECRET))).failure()).isEqualTo(Failure.EXPIRED);
        assertThat(auth.authenticate("not-a-jwt")).isEmpty();
    }

    @Test
    void expIsStrictEvenThoughNbfHasLeeway() {
        // the edge closes a connection at exp, so it must not accept a token that is already past it
        String justExpired = JWT.create().withSubject("a").withExpiresAt(Instant.now().minusSeconds(2)).sign(Algorithm.HMAC256(SECRET));
        assertThat(auth.verify(justExpired).failure()).isEqualTo(Failure.EXPIRED);
        String notYetValid = JWT.create().withSubject("a").withNotBefore(Instant.now().plusSeconds(2)).sign(Algorithm.HMAC256(SECRET));
        assertThat(auth.verify(notYetValid).ok()).isTrue();
    }
}
