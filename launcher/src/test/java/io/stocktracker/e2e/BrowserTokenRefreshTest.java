package io.stocktracker.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.stocktracker.e2e.WatchlistPages.UI_TIMEOUT;
import static io.stocktracker.e2e.WatchlistPages.awaitSeq;
import static io.stocktracker.e2e.WatchlistPages.logToStdout;
import static io.stocktracker.e2e.WatchlistPages.overrideConfig;
import static io.stocktracker.e2e.WatchlistPages.recordStatusHistory;
import static io.stocktracker.e2e.WatchlistPages.row;
import static io.stocktracker.e2e.WatchlistPages.seq;
import static io.stocktracker.e2e.WatchlistPages.status;
import static io.stocktracker.e2e.WatchlistPages.statusHistory;
import static io.stocktracker.e2e.WatchlistPages.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTCreator;
import com.auth0.jwt.algorithms.Algorithm;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.stocktracker.launcher.stack.Stack;
import io.stocktracker.launcher.stack.StackOptions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * JWT authentication and token refresh with the real pieces on both ends: the bundled watchlist in headless
 * Chromium, reading its token from {@code sessionStorage["stocktracker.authToken"]}, against an edge running
 * {@code AUTH_MODE=jwt} in the launcher's in-process stack (embedded Kafka, redis-server, streams, simulated
 * ingest). The tokens are short-lived (seconds) and the refresh window wide, so expiry, the
 * {@code token_expiring} notice, the refresh and the 4001 close all happen within a test.
 *
 * <p>The page's {@code WebSocket} is wrapped (an init script) only to record each socket's close code,
 * which Playwright does not report.
 */
@ExtendWith(SharedChromium.class)
class BrowserTokenRefreshTest {
    private static final String SECRET = "browser-e2e-hs256-secret-of-at-least-32-chars";
    /**
     * Two of the client's 5 s re-reads of its token provider fit in it: a token stored up to ~1 s before exp
     * is still sent in time, however late a loaded machine gets there.
     */
    private static final long REFRESH_WINDOW_MS = 11_000;
    private static final String TOKEN_KEY = "stocktracker.authToken";
    /** Quick reconnects, a quick polling fallback and 1 s polls: the not-live phases last seconds. */
    private static final Map<String, Object> FAST = Map.of(
            "reconnectInterval", 500,
            "maxReconnectDelay", 1500,
            "maxReconnectAttempts", 4,
            "pollingInterval", 1000);
    private static final String RECORD_CLOSES = "(() => {"
            + "  const Native = window.WebSocket;"
            + "  window.__wsCreated = 0; window.__wsCloses = [];"
            + "  window.WebSocket = class extends Native {"
            + "    constructor(...args) {"
            + "      super(...args); window.__wsCreated++;"
            + "      this.addEventListener('close', (e) => window.__wsCloses.push(e.code));"
            + "    }"
            + "  };"
            + "})();";

    private static Stack stack;
    private static HeadlessChromium headless;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void startStackAndBrowser(HeadlessChromium chromium) {
        headless = chromium;
        // Its own stack: AUTH_MODE=jwt, with tokens that expire within a test. Own symbols, fed from the start (one
        // built-in symbol: the 50 default ones would cost CPU and be read by nobody); JWTC, which a test adds, is listed
        // by the operator's allow-list (the symbol universe) and reaches ingest through the edge's subscriptions.
        stack = Stack.start(StackOptions.forTests(Map.of(
                        "INGEST_SYMBOLS", "JWTA,JWTB,JWTD,JWTF",
                        "SIMULATED_SYMBOL_COUNT", "1",
                        "INGEST_INTERVAL_MS", "500",
                        "SYMBOL_ALLOW_LIST", "JWTC",
                        "AUTH_MODE", "jwt",
                        "JWT_SECRET", SECRET,
                        "TOKEN_REFRESH_WINDOW_MS", String.valueOf(REFRESH_WINDOW_MS))));
    }

    @AfterAll
    static void stopAll() {
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void closeContexts(TestInfo info) {
        for (BrowserContext c : contexts) {
            for (Page p : c.pages()) {
                HeadlessChromium.screenshot(p, "token-" + info.getTestMethod().map(m -> m.getName()).orElse("test") + "-end");
            }
            c.close();
        }
        contexts.clear();
    }

    // ------------------------------------------------------------------------------------ tests

    @Test
    void aTokenRefreshedBeforeItsExpiryKeepsTheSameConnectionLive() throws Exception {
        String user = "refresh-" + UUID.randomUUID();
        Instant firstExp = Instant.now().plusSeconds(15).truncatedTo(ChronoUnit.SECONDS);
        String first = token(user, firstExp, "JWTA", "JWTB", "JWTC");
        Instant secondExp = Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS);
        String second = token(user, secondExp, "JWTA", "JWTB", "JWTC");
        Meters before = Meters.scrape();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        List<String> sent = Collections.synchronizedList(new ArrayList<>());

        Page page = open(first, "JWTA,JWTB", p -> p.onWebSocket(ws -> {
            ws.onFrameReceived(f -> received.add(f.text()));
            ws.onFrameSent(f -> sent.add(f.text()));
        }));
        assertThat(status(page)).hasAttribute("data-status", "live", within());
        long a = awaitSeq(page, "JWTA", 0);
        assertThat(awaitSeq(page, "JWTA", a)).isGreaterThan(a);

        // A sign-in flow renews the token where the app reads it; the page sends it on token_expiring.
        assertThat(Instant.now()).isBefore(firstExp);
        setToken(page, second);

        // A symbol added from the UI goes live over the authenticated socket.
        Locator search = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Add a symbol"));
        search.fill("jwtc");
        search.press("Enter");
        assertThat(page.getByTestId("search-feedback")).hasText("JWTC added to the watchlist");
        long c = awaitSeq(page, "JWTC", 0);
        assertThat(awaitSeq(page, "JWTC", c)).isGreaterThan(c);
        assertThat(row(page, "JWTC").getAttribute("data-source")).isEqualTo("ws");

        waitFor(page, () -> ((Number) metrics(page).get("tokenRefreshes")).intValue() == 1, "tokenRefreshes == 1");
        assertThat(Instant.parse(String.valueOf(metrics(page).get("tokenExpiresAt")))).isEqualTo(secondExp);
        assertThat(received).anyMatch(f -> f.contains("\"token_expiring\""));
        assertThat(received).anyMatch(f -> f.contains("\"token_refreshed\""));
        assertThat(sent).anyMatch(f -> f.contains("\"refresh\"") && f.contains(second));

        // Past the first token's exp: same socket, still live, prices still moving over it.
        waitFor(page, () -> Instant.now().isAfter(firstExp.plusMillis(1500)), "the first token's exp has passed");
        for (String symbol : List.of("JWTA", "JWTB", "JWTC")) {
            long s = seq(page, symbol);
            assertThat(awaitSeq(page, symbol, s)).isGreaterThan(s);
            assertThat(row(page, symbol).getAttribute("data-source")).isEqualTo("ws");
        }
        assertThat(status(page)).hasAttribute("data-status", "live");
        List<String> history = statusHistory(page);
        assertThat(history.subList(history.indexOf("live"), history.size())).containsExactly("live");
        Map<String, Object> m = metrics(page);
        assertThat(((Number) m.get("connectionCount")).intValue()).as("connections the edge greeted with connected").isEqualTo(1);
        assertThat(closeCodes(page)).isEmpty();
        assertThat(received).noneMatch(f -> f.contains("UNAUTHORIZED"));

        Meters after = Meters.scrape();
        assertThat(after.refreshesOk - before.refreshesOk).isEqualTo(1);
        assertThat(after.refreshesFailed - before.refreshesFailed).isZero();
        assertThat(after.expired - before.expired).isZero();
        assertThat(after.opened - before.opened).as("connections the edge accepted").isEqualTo(1);
        HeadlessChromium.screenshot(page, "token-refreshed-live");
    }

    @Test
    void anExpiredTokenClosesTheSocketAndANewTokenBringsThePageBackLive() throws Exception {
        String user = "expiry-" + UUID.randomUUID();
        Instant firstExp = Instant.now().plusSeconds(9).truncatedTo(ChronoUnit.SECONDS);
        Meters before = Meters.scrape();
        List<String> received = Collections.synchronizedList(new ArrayList<>());

        Page page = open(token(user, firstExp), "JWTD", p -> p.onWebSocket(ws -> ws.onFrameReceived(f -> received.add(f.text()))));
        assertThat(status(page)).hasAttribute("data-status", "live", within());
        long d = awaitSeq(page, "JWTD", 0);
        assertThat(awaitSeq(page, "JWTD", d)).isGreaterThan(d);

        // No new token: at exp the edge says why and closes 4001; the page is no longer live.
        waitFor(page, () -> closeCodes(page).contains(4001), "the socket closed with 4001");
        assertThat(Instant.now()).isAfter(firstExp.minusMillis(500));
        assertThat(received).anyMatch(f -> f.contains("\"token_expiring\""));
        assertThat(received).anyMatch(f -> f.contains("\"UNAUTHORIZED\"") && f.contains("token expired"));
        assertThat(status(page)).not().hasAttribute("data-status", "live", within());
        // It opens no socket with the token the edge closed on; after its quick attempts it polls.
        assertThat(status(page)).hasAttribute("data-status", "delayed", within());
        assertThat(page.getByTestId("connection-status-label")).hasText("Delayed");
        assertThat(statusHistory(page)).containsSubsequence("live", "reconnecting", "delayed");
        assertThat(createdSockets(page)).as("sockets created while the only token is the rejected one").isEqualTo(1);
        HeadlessChromium.screenshot(page, "token-expired-delayed");

        // A token already expired when the page connects: the edge opens the socket only to refuse it (error,
        // close 4001), and the page must not show Live for it, not even for a moment.
        setToken(page, token(user, Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.SECONDS)));
        waitFor(page, () -> closeCodes(page).size() == 2, "the expired token's socket closed");
        assertThat(closeCodes(page)).containsExactly(4001, 4001);
        assertThat(received).anyMatch(f -> f.contains("\"UNAUTHORIZED\"") && f.contains("Token expired"));
        List<String> beforeValidToken = statusHistory(page);
        assertThat(beforeValidToken.subList(beforeValidToken.indexOf("live") + 1, beforeValidToken.size()))
                .as("status history after the first token expired, until a valid one is stored: %s", beforeValidToken)
                .doesNotContain("live");
        assertThat(((Number) metrics(page).get("connectionCount")).intValue()).as("a refused socket is no connection").isEqualTo(1);

        // The sign-in flow stores a new token: the page reconnects with it and prices move over the socket again.
        Instant secondExp = Instant.now().plusSeconds(300).truncatedTo(ChronoUnit.SECONDS);
        setToken(page, token(user, secondExp));
        assertThat(status(page)).hasAttribute("data-status", "live", within());
        waitFor(page, () -> "ws".equals(row(page, "JWTD").getAttribute("data-source")), "JWTD back on the socket");
        long s = seq(page, "JWTD");
        assertThat(awaitSeq(page, "JWTD", s)).isGreaterThan(s);
        assertThat(((Number) metrics(page).get("connectionCount")).intValue()).isEqualTo(2);
        assertThat(closeCodes(page)).containsExactly(4001, 4001);
        assertThat(createdSockets(page)).isEqualTo(3);

        Meters after = Meters.scrape();
        assertThat(after.expired - before.expired).isEqualTo(1);
        assertThat(after.refreshesOk - before.refreshesOk).isZero();
        assertThat(after.opened - before.opened).isEqualTo(2);
    }

    @Test
    void aPageWithoutATokenIsRefusedPollsMeanwhileAndGoesLiveOnceSignedIn() throws Exception {
        Meters before = Meters.scrape();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        Page page = open(null, "JWTF", p -> p.onWebSocket(ws -> ws.onFrameReceived(f -> received.add(f.text()))));
        waitFor(page, () -> closeCodes(page).contains(4001), "the socket closed with 4001");
        assertThat(received).anyMatch(f -> f.contains("\"UNAUTHORIZED\"") && f.contains("A token is required"));
        assertThat(received).noneMatch(f -> f.contains("price_update"));

        // Refused once, it does not knock again without a token: after its quick attempts it polls, and the REST API
        // asks for the same token: its polls are answered 401, so no price reaches the page by either path.
        assertThat(status(page)).hasAttribute("data-status", "delayed", within());
        assertThat(statusHistory(page)).containsSubsequence("reconnecting", "delayed");
        assertThat(page.getByTestId("error-JWTF")).containsText("A token is required",
                new LocatorAssertions.ContainsTextOptions().setTimeout(UI_TIMEOUT.toMillis()));
        assertThat(row(page, "JWTF").getAttribute("data-seq")).isEmpty();
        assertThat(createdSockets(page)).as("sockets the page opened without a token").isEqualTo(1);
        assertThat(Meters.scrape().unauthorizedCloses - before.unauthorizedCloses).isEqualTo(1);
        HeadlessChromium.screenshot(page, "token-none-delayed");
        // The refused socket opened, but the edge never said connected: never Live, and no connection counted.
        assertThat(statusHistory(page)).as("status history without a token").doesNotContain("live");
        assertThat(((Number) metrics(page).get("connectionCount")).intValue()).isZero();

        // Signing in stores a token: the page connects with it and the row is fed by the socket.
        setToken(page, token("late-" + UUID.randomUUID(), Instant.now().plusSeconds(300)));
        assertThat(status(page)).hasAttribute("data-status", "live", within());
        waitFor(page, () -> "ws".equals(row(page, "JWTF").getAttribute("data-source")), "JWTF on the socket");
        long s = seq(page, "JWTF");
        assertThat(awaitSeq(page, "JWTF", s)).isGreaterThan(s);
        assertThat(createdSockets(page)).isEqualTo(2);
        assertThat(((Number) metrics(page).get("connectionCount")).intValue()).isEqualTo(1);
        Meters after = Meters.scrape();
        assertThat(after.opened - before.opened).as("connections the edge accepted").isEqualTo(1);
        assertThat(after.unauthorizedCloses - before.unauthorizedCloses).isEqualTo(1);
    }

    @Test
    void aPollingPageSendsItsTokenAsAHeaderAndSeesOnlyTheSymbolsItAllows() {
        String token = token("poller-" + UUID.randomUUID(), Instant.now().plusSeconds(300), "JWTB");
        List<com.microsoft.playwright.Request> api = Collections.synchronizedList(new ArrayList<>());
        Page page = open(token, "JWTB,JWTA", Map.of("enableWebSocket", false),
                p -> p.onRequest(r -> {
                    if (r.url().contains("/api/")) {
                        api.add(r);
                    }
                }));
        waitFor(page, () -> "poll".equals(row(page, "JWTB").getAttribute("data-source")), "JWTB polled");
        long b = seq(page, "JWTB");
        assertThat(awaitSeq(page, "JWTB", b)).isGreaterThan(b);
        // the token's symbols claim names JWTB only: the edge leaves JWTA out of the batch it answers
        assertThat(page.getByTestId("error-JWTA")).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(UI_TIMEOUT.toMillis()));
        assertThat(row(page, "JWTA").getAttribute("data-seq")).isEmpty();
        assertThat(createdSockets(page)).isZero();
        List<com.microsoft.playwright.Request> polls = List.copyOf(api);
        assertThat(polls).isNotEmpty().allSatisfy(r -> {
            assertThat(r.headers().get("authorization")).isEqualTo("Bearer " + token);
            assertThat(r.url()).doesNotContain(token);
        });
    }

    // ------------------------------------------------------------------------------------ helpers

    /** A new tab in its own context whose sessionStorage holds {@code token} (none if null) before the app starts. */
    private Page open(String token, String symbols, java.util.function.Consumer<Page> beforeLoad) {
        return open(token, symbols, Map.of(), beforeLoad);
    }

    private Page open(String token, String symbols, Map<String, Object> config, java.util.function.Consumer<Page> beforeLoad) {
        BrowserContext context = headless.browser().newContext(new Browser.NewContextOptions().setViewportSize(1100, 640));
        contexts.add(context);
        Map<String, Object> settings = new java.util.HashMap<>(FAST);
        settings.putAll(config);
        overrideConfig(context, settings);
        recordStatusHistory(context);
        context.addInitScript(RECORD_CLOSES);
        if (token != null) {
            // only when empty: a token stored later by the test is not overwritten by a reload
            context.addInitScript("try { if (!sessionStorage.getItem('" + TOKEN_KEY + "')) sessionStorage.setItem('"
                    + TOKEN_KEY + "', '" + token + "'); } catch (e) { }");
        }
        Page page = context.newPage();
        logToStdout(page);
        beforeLoad.accept(page);
        page.navigate(stack.uiUrl() + "?symbols=" + symbols);
        return page;
    }

    private static String token(String subject, Instant exp, String... symbols) {
        JWTCreator.Builder b = JWT.create().withSubject(subject).withExpiresAt(exp);
        if (symbols.length > 0) {
            b.withArrayClaim("symbols", symbols);
        }
        return b.sign(Algorithm.HMAC256(SECRET));
    }

    private static void setToken(Page page, String token) {
        page.evaluate("([k, t]) => sessionStorage.setItem(k, t)", List.of(TOKEN_KEY, token));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> metrics(Page page) {
        // Dates cross as ISO strings
        return (Map<String, Object>) page.evaluate("() => JSON.parse(JSON.stringify(window.__stocktracker.metrics()))");
    }

    @SuppressWarnings("unchecked")
    private static List<Integer> closeCodes(Page page) {
        return ((List<Number>) page.evaluate("() => window.__wsCloses")).stream().map(Number::intValue).toList();
    }

    private static int createdSockets(Page page) {
        return ((Number) page.evaluate("() => window.__wsCreated")).intValue();
    }

    private static LocatorAssertions.HasAttributeOptions within() {
        return new LocatorAssertions.HasAttributeOptions().setTimeout(UI_TIMEOUT.toMillis());
    }

    /** The edge's counters this class reads from its Prometheus /metrics. */
    private record Meters(double refreshesOk, double refreshesFailed, double expired, double opened, double unauthorizedCloses) {
        static Meters scrape() throws IOException, InterruptedException {
            String text = HTTP.send(HttpRequest.newBuilder(stack.metricsUrl(0)).build(), HttpResponse.BodyHandlers.ofString()).body();
            return new Meters(
                    value(text, "stocktracker_edge_token_refreshes_total", "result=\"ok\""),
                    value(text, "stocktracker_edge_token_refreshes_total", "result=\"failed\""),
                    value(text, "stocktracker_edge_token_expired_total", ""),
                    value(text, "stocktracker_edge_connections_opened_total", ""),
                    value(text, "stocktracker_edge_closes_total", "code=\"UNAUTHORIZED\""));
        }

        private static double value(String text, String name, String label) {
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$").matcher(text);
            while (m.find()) {
                if (label.isEmpty() || (m.group(1) != null && m.group(1).contains(label))) {
                    return Double.parseDouble(m.group(2));
                }
            }
            throw new AssertionError("no " + name + " " + label + " on the edge's /metrics");
        }
    }
}
