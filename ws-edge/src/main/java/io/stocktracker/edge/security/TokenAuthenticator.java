package io.stocktracker.edge.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTDecodeException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.stocktracker.schemas.contract.Symbols;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * AUTH_MODE=jwt: an HS256 token (query parameter {@code token} or a {@code bearer.<token>} subprotocol entry).
 * Claims read: {@code sub} (the user), {@code exp} (the connection closes then unless refreshed), an optional
 * {@code symbols} array (what the connection may subscribe to) and an optional {@code tier} (its subscription limit).
 */
public final class TokenAuthenticator {
    public static final String SYMBOLS_CLAIM = "symbols";
    /** Clock skew tolerated on {@code nbf}/{@code iat}; {@code exp} is strict because the edge closes at it. */
    static final long LEEWAY_SECONDS = 5;

    /**
     * Who connected and what they may see.
     *
     * @param symbols   the {@code symbols} claim, normalised; null when the token does not restrict symbols
     * @param tier      the {@code tier} claim; null without one
     * @param expiresAt the {@code exp} claim; null when the token does not expire
     */
    public record Principal(String subject, Set<String> symbols, String tier, Instant expiresAt) {
        public static final Principal ANONYMOUS = new Principal(null, null, null, null);

        public boolean allows(String symbol) {
            return symbols == null || symbols.contains(symbol);
        }

        public Predicate<String> allowedSymbols() {
            return this::allows;
        }
    }

    /** Why a token was refused; {@code reason} reads after "token" / "refresh token". */
    public enum Failure {
        MISSING("is required"),
        MALFORMED("is malformed"),
        EXPIRED("expired"),
        INVALID("signature or claims invalid");

        private final String reason;

        Failure(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** Exactly one of principal and failure is non-null. */
    public record Verdict(Principal principal, Failure failure) {
        public boolean ok() {
            return principal != null;
        }
    }

    private final JWTVerifier verifier;

    private TokenAuthenticator(JWTVerifier verifier) {
        this.verifier = verifier;
    }

    public static TokenAuthenticator hs256(String secret) {
        return new TokenAuthenticator(JWT.require(Algorithm.HMAC256(secret))
                .acceptLeeway(LEEWAY_SECONDS).acceptExpiresAt(0).build());
    }

    /** Empty when the token is missing, malformed, expired or not signed with our secret. */
    public Optional<Principal> authenticate(String token) {
        return Optional.ofNullable(verify(token).principal());
    }

    public Verdict verify(String token) {
        if (token == null || token.isBlank()) {
            return new Verdict(null, Failure.MISSING);
        }
        try {
            DecodedJWT jwt = verifier.verify(token);
            return new Verdict(new Principal(jwt.getSubject(), symbols(jwt.getClaim(SYMBOLS_CLAIM)),
                    tier(jwt.getClaim(TierLimits.TIER_CLAIM)), jwt.getExpiresAtAsInstant()), null);
        } catch (TokenExpiredException e) {
            return new Verdict(null, Failure.EXPIRED);
        } catch (JWTDecodeException e) {
            return new Verdict(null, Failure.MALFORMED);
        } catch (NullPointerException e) {
            // java-jwt 4.x decodes a header or payload segment of JSON null to null and dereferences it
            return new Verdict(null, Failure.MALFORMED);
        } catch (JWTVerificationException e) {
            return new Verdict(null, Failure.INVALID);
        }
    }

    private static Set<String> symbols(Claim claim) {
        if (claim.isMissing() || claim.isNull()) {
            return null;
        }
        List<String> list = claim.asList(String.class);
        return list == null ? Set.of() : list.stream()
                .map(Symbols::normalize).flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
    }

    /** A non-string tier is kept as text: an unknown tier gets the smallest limit, never the untiered default. */
    private static String tier(Claim claim) {
        if (claim.isMissing() || claim.isNull()) {
            return null;
        }
        String s = claim.asString();
        return s != null ? s : claim.toString();
    }
}
