package io.stocktracker.edge.security;

import static io.stocktracker.edge.fuzz.Fuzz.bytes;
import static io.stocktracker.edge.fuzz.Fuzz.length;
import static io.stocktracker.edge.fuzz.Fuzz.pick;
import static io.stocktracker.edge.fuzz.Fuzz.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.stocktracker.edge.fuzz.Fuzz;
import io.stocktracker.edge.fuzz.Fuzz.Property;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The JWT parser's input: a query parameter, a subprotocol entry or a refresh message, so at most a request line or a
 * frame (8 KiB here). Random text, random base64url segments, tampered headers ({@code alg: none}, other algorithms),
 * huge segments, and tokens properly signed with the edge's secret whose claims are hostile (so the claim reading
 * after the signature check is reached too). Each is a principal or a failure reason, never an exception.
 */
class TokenFuzzTest {
    private static final String SECRET = "a-fuzz-test-secret-that-is-long-enough";
    private static final TokenAuthenticator AUTH = TokenAuthenticator.create(
            JwtSettings.of(SECRET, "", "", List.of(), "", "", Duration.ofDays(1), new ArrayList<>()));
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int MAX_TOKEN = 8192;

    private static final Property<String> TOKEN = new Property<>("jwt-token", TokenFuzzTest::token,
            s -> s == null ? 0 : s.length(), Fuzz.linear(64, 128 * 1024), token -> {
                TokenAuthenticator.Verdict v = AUTH.verify(token);
                assertThat(v.principal() == null).isNotEqualTo(v.failure() == null);
            });

    @Test
    void anyTokenIsAPrincipalOrAFailure() {
        Fuzz.check(TOKEN);
    }

    /** Found by the run above on the former java-jwt verifier: it threw NullPointerException when a segment was the JSON literal null. */
    @Test
    void aHeaderOrPayloadOfJsonNullIsMalformed() {
        for (String token : new String[] {b64("null") + "." + b64("{}") + ".", b64("{\"alg\":\"HS256\"}") + "." + b64("null") + ".",
                signed("null", "{\"sub\":\"a\"}"), signed("{\"alg\":\"HS256\"}", "null")}) {
            Fuzz.example(TOKEN, token);
            assertThat(AUTH.verify(token).failure()).as(token)
                    .isIn(TokenAuthenticator.Failure.MALFORMED, TokenAuthenticator.Failure.INVALID);
        }
    }

    private static String token(SplittableRandom r) {
        String t = switch (r.nextInt(6)) {
            case 0 -> text(r, "abcXYZ0123456789-_.=+/ ", length(r, 100, MAX_TOKEN));
            case 1 -> segment(r) + "." + segment(r) + "." + segment(r);
            case 2 -> b64(header(r)) + "." + b64(claims(r)) + "." + pick(r, "", segment(r), "AAAA");
            case 3 -> signed(header(r), claims(r));
            case 4 -> signed("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims(r));
            default -> pick(r, "", " ", ".", "..", "...", "a.b", "a.b.c.d", "bearer.x", null);
        };
        return t != null && t.length() > MAX_TOKEN ? t.substring(0, MAX_TOKEN) : t;
    }

    private static String segment(SplittableRandom r) {
        return r.nextInt(3) == 0 ? text(r, "ABCabc012-_=+/", length(r, 20, 3000)) : B64.encodeToString(bytes(r, length(r, 40, 3000)));
    }

    private static String header(SplittableRandom r) {
        return pick(r, "{\"alg\":\"none\"}", "{\"alg\":\"none\",\"typ\":\"JWT\"}", "{\"alg\":\"HS256\"}", "{\"alg\":\"RS256\"}",
                "{\"alg\":\"HS512\"}", "{\"alg\":\"hs256\"}", "{\"alg\":null}", "{\"alg\":[\"HS256\"]}", "{}", "[]", "null", "{",
                "{\"alg\":\"HS256\",\"crit\":[\"x\"]}", "{\"alg\":\"HS256\",\"kid\":\"../../etc/passwd\"}",
                "{\"alg\":\"HS256\",\"x\":" + "[".repeat(600) + "]".repeat(600) + "}");
    }

    private static String claims(SplittableRandom r) {
        StringBuilder b = new StringBuilder("{");
        int n = r.nextInt(6);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append('"').append(pick(r, "sub", "exp", "nbf", "iat", "symbols", "tier", "iss", "aud", "x")).append("\":")
                    .append(claimValue(r));
        }
        return b.append('}').toString();
    }

    private static String claimValue(SplittableRandom r) {
        return pick(r, "\"alice\"", "1", "-1", "9999999999", "99999999999999999999999", "1e308", "-1e308", "1.5", "NaN", "null",
                "true", "[]", "[\"AAPL\",\"brk.b\",7,null,[\"x\"]]", "[" + "\"S\",".repeat(500) + "\"S\"]", "{\"a\":{\"b\":[]}}",
                "\"" + "x".repeat(4000) + "\"", "\"pro\"", "3", "{}", "[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]",
                String.valueOf(System.currentTimeMillis() / 1000 + 3600));
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** header.payload signed with the edge's secret, whatever the header says. */
    private static String signed(String header, String claims) {
        String content = b64(header) + "." + b64(claims);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return content + "." + B64.encodeToString(mac.doFinal(content.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
