package io.stocktracker.edge.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jose.KeySourceException;
import io.stocktracker.schemas.contract.Symbols;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * AUTH_MODE=jwt: one verifier (nimbus-jose-jwt) for HS256 tokens signed with JWT_SECRET and RS256/ES256 tokens
 * signed with a key from a JWKS file or URL (fetched, cached and re-fetched for an unknown {@code kid} by the
 * library). Only the algorithms of {@link JwtSettings#algorithms()} pass, each only with its own kind of key: an
 * HS256 token is checked against the secret alone, never against a published public key, and {@code none} never.
 * A token must carry {@code sub} and {@code exp} and live at most JWT_MAX_LIFETIME_SECONDS; optional checks of
 * {@code iss} and {@code aud}. Claims read: {@code sub} (the user), {@code exp} (the connection closes then unless
 * refreshed), an optional {@code symbols} array (what it may subscribe to or poll) and an optional {@code tier}.
 */
public final class TokenAuthenticator {
    public static final String SYMBOLS_CLAIM = "symbols";
    /** Clock skew tolerated on {@code nbf}/{@code iat}; {@code exp} is strict because the edge closes at it. */
    static final long LEEWAY_SECONDS = 5;
    /** Longer than any real token; a bigger one is refused before it is decoded. */
    static final int MAX_TOKEN_CHARS = 8192;
    /** RFC 9068 access tokens say {@code at+jwt}; most issuers say {@code JWT} or nothing. */
    private static final JOSEObjectType ACCESS_TOKEN = new JOSEObjectType("at+jwt");

    /**
     * Who connected and what they may see.
     *
     * @param symbols   the {@code symbols} claim, normalised; null when the token does not restrict symbols
     * @param tier      the {@code tier} claim; null without one
     * @param expiresAt the {@code exp} claim; null only for {@link #ANONYMOUS}
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

    /** Why a token was refused; {@code reason} reads after "Token" / "refresh token". */
    public enum Failure {
        MISSING("is required"),
        MALFORMED("is malformed"),
        ALGORITHM("algorithm is not accepted"),
        INVALID("signature or claims invalid"),
        KEYS_UNAVAILABLE("cannot be checked now: the issuer's keys are unreachable"),
        EXPIRED("expired"),
        NO_EXPIRY("has no exp: tokens must expire"),
        NO_SUBJECT("has no sub"),
        NOT_YET_VALID("is not valid yet (nbf or iat in the future)"),
        WRONG_ISSUER("issuer is not accepted"),
        WRONG_AUDIENCE("audience does not include this service"),
        TOO_LONG_LIVED("lives longer than this server accepts (exp too far after iat)");

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

    /** A claims rule broke: carries which, so the refusal can say it (the library's own messages echo claim values). */
    private static final class Refused extends BadJWTException {
        final Failure failure;

        Refused(Failure failure) {
            super(failure.name());
            this.failure = failure;
        }
    }

    private final JwtSettings settings;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    private TokenAuthenticator(JwtSettings settings, JWSKeySelector<SecurityContext> secretKeys,
                               JWSKeySelector<SecurityContext> publicKeys) {
        this.settings = settings;
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, ACCESS_TOKEN, null));
        processor.setJWSKeySelector((header, context) -> {
            JWSAlgorithm alg = header.getAlgorithm();
            JWSKeySelector<SecurityContext> keys = JWSAlgorithm.Family.HMAC_SHA.contains(alg) ? secretKeys : publicKeys;
            return keys == null || !settings.algorithms().contains(alg) ? List.of() : keys.selectJWSKeys(header, context);
        });
        processor.setJWTClaimsSetVerifier((claims, context) -> check(claims, Instant.now()));
    }

    /**
     * @throws IllegalArgumentException when the JWKS file cannot be read or parsed (a configuration error: the edge
     *                                  must not start without its keys)
     */
    public static TokenAuthenticator create(JwtSettings settings) {
        JWSKeySelector<SecurityContext> secretKeys = settings.secret() == null || !settings.algorithms().contains(JWSAlgorithm.HS256)
                ? null
                : new JWSVerificationKeySelector<>(JWSAlgorithm.HS256,
                        new ImmutableSecret<>(settings.secret().getBytes(StandardCharsets.UTF_8)));
        Set<JWSAlgorithm> publicAlgorithms = settings.algorithms().stream()
                .filter(a -> !JWSAlgorithm.Family.HMAC_SHA.contains(a)).collect(Collectors.toUnmodifiableSet());
        JWKSource<SecurityContext> jwks = publicAlgorithms.isEmpty() ? null : publicKeySource(settings);
        JWSKeySelector<SecurityContext> publicKeys = jwks == null ? null : new JWSVerificationKeySelector<>(publicAlgorithms, jwks);
        return new TokenAuthenticator(settings, secretKeys, publicKeys);
    }

    private static JWKSource<SecurityContext> publicKeySource(JwtSettings settings) {
        if (settings.jwksFile() != null) {
            try {
                // public keys only: a private key in the file is not used, nor is a symmetric one
                return new ImmutableJWKSet<>(JWKSet.load(settings.jwksFile().toFile()).toPublicJWKSet());
            } catch (IOException | ParseException e) {
                throw new IllegalArgumentException("JWT_JWKS_FILE " + settings.jwksFile() + " is not a JWK set: " + e.getMessage(), e);
            }
        }
        if (settings.jwksUrl() == null) {
            return null;
        }
        try {
            // the library's defaults: cached 5 min, re-fetched for an unknown kid at most every 30 s; plus one retry; the
            // fetch runs on the verifying thread, so it is bounded: 2 s to connect, 2 s to read, 256 KiB
            return JWKSourceBuilder.<SecurityContext>create(settings.jwksUrl().toURL(),
                            new DefaultResourceRetriever(2000, 2000, 256 * 1024))
                    .retrying(true)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("JWT_JWKS_URL is not a URL: " + settings.jwksUrl(), e);
        }
    }

    public Verdict verify(String token) {
        if (token == null || token.isBlank()) {
            return refused(Failure.MISSING);
        }
        if (token.length() > MAX_TOKEN_CHARS) {
            return refused(Failure.MALFORMED);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException | RuntimeException e) {
            return refused(Failure.MALFORMED);
        }
        // an unsigned (alg none) or encrypted token never reaches key selection
        if (!(jwt instanceof SignedJWT signed) || !settings.algorithms().contains(signed.getHeader().getAlgorithm())) {
            return refused(Failure.ALGORITHM);
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(signed, null);
        } catch (Refused e) {
            return refused(e.failure);
        } catch (KeySourceException e) {
            return refused(Failure.KEYS_UNAVAILABLE);
        } catch (BadJOSEException | JOSEException | RuntimeException e) {
            return refused(Failure.INVALID);
        }
        return new Verdict(new Principal(claims.getSubject(), symbols(claims), tier(claims), claims.getExpirationTime().toInstant()),
                null);
    }

    /** The policy on a token whose signature holds. */
    private void check(JWTClaimsSet claims, Instant now) throws Refused {
        Instant exp = instant(claims.getExpirationTime());
        if (exp == null) {
            throw new Refused(Failure.NO_EXPIRY);
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isBlank()) {
            throw new Refused(Failure.NO_SUBJECT);
        }
        if (!exp.isAfter(now)) {
            throw new Refused(Failure.EXPIRED);
        }
        Instant latest = now.plusSeconds(LEEWAY_SECONDS);
        Instant nbf = instant(claims.getNotBeforeTime());
        Instant iat = instant(claims.getIssueTime());
        if (nbf != null && nbf.isAfter(latest) || iat != null && iat.isAfter(latest)) {
            throw new Refused(Failure.NOT_YET_VALID);
        }
        if (settings.issuer() != null && !settings.issuer().equals(claims.getIssuer())) {
            throw new Refused(Failure.WRONG_ISSUER);
        }
        if (settings.audience() != null && (claims.getAudience() == null || !claims.getAudience().contains(settings.audience()))) {
            throw new Refused(Failure.WRONG_AUDIENCE);
        }
        if (TokenLifetime.exceeds(iat, exp, now, settings.maxLifetime())) {
            throw new Refused(Failure.TOO_LONG_LIVED);
        }
    }

    private static Verdict refused(Failure failure) {
        return new Verdict(null, failure);
    }

    private static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    /** Not a list of strings: nothing is allowed, never everything. */
    private static Set<String> symbols(JWTClaimsSet claims) {
        if (claims.getClaim(SYMBOLS_CLAIM) == null) {
            return null;
        }
        List<String> list;
        try {
            list = claims.getStringListClaim(SYMBOLS_CLAIM);
        } catch (ParseException e) {
            return Set.of();
        }
        return list == null ? Set.of() : list.stream().filter(s -> s != null)
                .map(Symbols::normalize).flatMap(Optional::stream).collect(Collectors.toUnmodifiableSet());
    }

    /** A non-string tier is kept as text: an unknown tier gets the smallest limit, never more. */
    private static String tier(JWTClaimsSet claims) {
        Object tier = claims.getClaim(TierLimits.TIER_CLAIM);
        return tier == null ? null : tier instanceof String s ? s : String.valueOf(tier);
    }
}
