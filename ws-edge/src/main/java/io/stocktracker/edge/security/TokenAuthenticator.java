package io.stocktracker.edge.security;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.Claim;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.stocktracker.schemas.contract.Symbols;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * AUTH_MODE=jwt: an HS256 token (query parameter {@code token} or a {@code bearer.<token>} subprotocol entry).
 * An optional {@code symbols} array claim limits what the connection may subscribe to.
 */
public final class TokenAuthenticator {
    public static final String SYMBOLS_CLAIM = "symbols";

    /** Who connected and what they may see. */
    public record Principal(String subject, Predicate<String> allowedSymbols) {
        public static final Principal ANONYMOUS = new Principal(null, s -> true);
    }

    private final JWTVerifier verifier;

    private TokenAuthenticator(JWTVerifier verifier) {
        this.verifier = verifier;
    }

    public static TokenAuthenticator hs256(String secret) {
        return new TokenAuthenticator(JWT.require(Algorithm.HMAC256(secret)).acceptLeeway(5).build());
    }

    /** Empty when the token is missing, malformed, expired or not signed with our secret. */
    public Optional<Principal> authenticate(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        try {
            DecodedJWT jwt = verifier.verify(token);
            Claim claim = jwt.getClaim(SYMBOLS_CLAIM);
            Predicate<String> allowed = s -> true;
            if (!claim.isMissing() && !claim.isNull()) {
                List<String> list = claim.asList(String.class);
                Set<String> symbols = list == null ? Set.of() : list.stream()
                        .map(Symbols::normalize).flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
                allowed = symbols::contains;
            }
            return Optional.of(new Principal(jwt.getSubject(), allowed));
        } catch (JWTVerificationException e) {
            return Optional.empty();
        }
    }
}
