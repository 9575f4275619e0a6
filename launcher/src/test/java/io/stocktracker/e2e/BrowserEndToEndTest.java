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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;
import io.stocktracker.infra.TcpProxy;
import io.stocktracker.launcher.stack.SharedStack;
import io.stocktracker.launcher.stack.Stack;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/**
 * The watchlist in a real headless Chromium against the real stack (embedded Kafka, redis-server,
 * streams processor, simulated ingest, edge) started in process by the launcher's {@link Stack}.
 *
 * <p>The page's WebSocket goes through a {@link TcpProxy} (its URL is set through /config.js,
 * as a deployment would) so a test can fail the WebSocket path alone while the page's HTTP requests
 * still reach the edge. /config.js also shortens the reconnect and polling intervals, so the seed's
 * flows (Live, Reconnecting, Delayed, Live again, Offline) run in seconds, not minutes.
 *
 * <p>Needs a Chromium: /usr/bin/chromium (Debian's package) or PLAYWRIGHT_CHROMIUM_EXECUTABLE.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith({SharedChromium.class, SharedStack.class})
class BrowserEndToEndTest {
    /** Fast-failing settings for the tests: 4 quick reconnects before polling, 1 s polls. */
    private static final Map<String, Object> FAST = Map.of(
            "reconnectInterval", 500,
            "maxReconnectDelay", 1500,
            "maxReconnectAttempts", 4,
            "pollingInterval", 1000);

    private static Stack stack;
    private static TcpProxy proxy;
    private static Browser browser;

    private final List<BrowserContext> contexts = new ArrayList<>();

    /**
     * The page (served by the edge) and its WebSocket (through the proxy) have different origins, as in a deployment
     * with a separate WebSocket host: the shared stack's operator lists the page's origin in ALLOWED_ORIGINS.
     */
    @BeforeAll
    static void startProxy(HeadlessChromium headless, Stack shared) throws IOException {
        stack = shared;
        proxy = new TcpProxy(stack.edges().get(0).port());
        browser = headless.browser();
    }

    @AfterAll
    static void stopProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    @AfterEach
    void closeContexts(TestInfo info) {
        for (BrowserContext c : contexts) {
            for (Page p : c.pages()) {
                screenshot(p, info.getTestMethod().map(m -> m.getName()).orElse("test") + "-end");
            }
            c.close();
        }
        contexts.clear();
    }

    // ------------------------------------------------------------------------------------ tests

    @Test
    @Order(1)
    void indicatorShowsLiveAndPricesChange() throws IOException {
        Page page = open(viaProxy(), "AAPL,MSFT,NVDA");
        assertThat(status(page)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        assertThat(page.getByTestId("connection-status-label")).hasText("Live");
        for (String symbol : List.of("AAPL", "MSFT", "NVDA")) {
            long first = awaitSeq(page, symbol, 0);
            long later = awaitSeq(page, symbol, first);
            assertThat(later).isGreaterThan(first);
            assertThat(row(page, symbol).getAttribute("data-source")).isEqualTo("ws");
        }
        // The displayed prices move too (some symbol's price text changes, not only its seq).
        Map<String, String> before = prices(page, "AAPL", "MSFT", "NVDA");
        waitFor(page, () -> !prices(page, "AAPL", "MSFT", "NVDA").equals(before), "a displayed price changes");
        // Feed delay measured in the browser: receipt time minus the quote's ingestedAt (same host clock).
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) page.evaluate("() => window.__stocktracker.metrics()");
        @SuppressWarnings("unchecked")
        Map<String, Object> delay = (Map<String, Object>) metrics.get("dataLatency");
        System.out.println("[figure] browser feed delay ingest->browser ms: " + delay + ", ping rtt ms: "
                + metrics.get("averageLatency") + ", frames: " + metrics.get("messageCount"));
        assertThat(((Number) delay.get("count")).intValue()).isPositive();
        page.getByTestId("connection-status").focus();
        assertThat(page.getByTestId("detail-feed-delay")).hasText(java.util.regex.Pattern.compile("\\d+ ms"), textWithin(UI_TIMEOUT));
        assertThat(page.getByTestId("detail-latency")).hasText(java.util.regex.Pattern.compile("\\d+ ms"), textWithin(UI_TIMEOUT));
        Path shot = screenshot(page, "live");
        page.setViewportSize(390, 700);
        screenshot(page, "live-phone");
        page.setViewportSize(1100, 640);
        Path docs = Path.of("..", "docs", "screenshot.png");
        if (!Files.exists(docs) || Boolean.getBoolean("screenshot.update")) {
            Files.createDirectories(docs.getParent());
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    @Order(2)
    void addedSymbolStartsUpdatingAndRemovedSymbolGetsNoMoreUpdates() {
        List<String> frames = Collections.synchronizedList(new ArrayList<>());
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        Page page = open(viaProxy(), "AAPL,MSFT", p -> p.onWebSocket(ws -> {
            ws.onFrameReceived(f -> frames.add(f.text()));
            ws.onFrameSent(f -> sent.add(f.text()));
        }));
        assertThat(status(page)).hasAttribute("data-status", "live", within(UI_TIMEOUT));

        Locator search = page.getByRole(AriaRole.COMBOBOX, new Page.GetByRoleOptions().setName("Add a symbol"));
        search.fill("meta");
        search.press("Enter");
        assertThat(page.getByTestId("search-feedback")).hasText("META added to the watchlist");
        assertThat(row(page, "META")).isVisible();
        long first = awaitSeq(page, "META", 0);
        assertThat(awaitSeq(page, "META", first)).isGreaterThan(first);
        assertThat(sent).anyMatch(s -> s.contains("\"subscribe\"") && s.contains("META"));

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove MSFT from watchlist")).click();
        assertThat(row(page, "MSFT")).hasCount(0);
        waitFor(page, () -> frames.stream().anyMatch(f -> f.contains("\"unsubscribed\"") && f.contains("MSFT")),
                "the edge acknowledges the unsubscribe");
        int mark = frames.size();
        // AAPL and META keep moving for a few seconds while MSFT stays silent.
        long aapl = seq(page, "AAPL");
        awaitSeq(page, "AAPL", aapl);
        page.waitForTimeout(3000);
        List<String> after = new ArrayList<>(frames.subList(mark, frames.size()));
        assertThat(after).anyMatch(f -> f.contains("\"AAPL\""));
        assertThat(after).noneMatch(f -> f.contains("\"MSFT\""));
        assertThat(page.evaluate("() => JSON.parse(localStorage.getItem('stocktracker.watchlist.v1'))"))
                .isEqualTo(List.of("AAPL", "META"));
    }

    @Test
    @Order(3)
    void losingOnlyTheWebSocketFallsBackToPollingAndComesBackLive() throws IOException {
        Page page = open(viaProxy(), "AAPL,MSFT,NVDA");
        assertThat(status(page)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        awaitSeq(page, "AAPL", 0);
        try {
            proxy.cut();
            assertThat(status(page)).hasAttribute("data-status", "delayed", within(UI_TIMEOUT));
            // It went Live -> Reconnecting -> Delayed, in that order.
            List<String> history = statusHistory(page);
            assertThat(history).containsSubsequence("live", "reconnecting", "delayed");
            assertThat(history.subList(history.lastIndexOf("live"), history.size())).containsExactly("live", "reconnecting", "delayed");
            assertThat(page.getByTestId("connection-status-label")).hasText("Delayed");
            // Polled prices still move: the HTTP path to the edge is intact.
            for (String symbol : List.of("AAPL", "NVDA")) {
                waitFor(page, () -> "poll".equals(row(page, symbol).getAttribute("data-source")), symbol + " polled");
                long polled = seq(page, symbol);
                assertThat(awaitSeq(page, symbol, polled)).isGreaterThan(polled);
                assertThat(row(page, symbol).getAttribute("data-source")).isEqualTo("poll");
            }
            screenshot(page, "delayed");
        } finally {
            proxy.heal();
        }
        assertThat(status(page)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        // No stale rows: every row is fed by the socket again and recently updated.
        for (String symbol : List.of("AAPL", "MSFT", "NVDA")) {
            waitFor(page, () -> "ws".equals(row(page, symbol).getAttribute("data-source")), symbol + " back on WebSocket");
            long s = seq(page, symbol);
            assertThat(awaitSeq(page, symbol, s)).isGreaterThan(s);
            long updatedAt = Long.parseLong(row(page, symbol).getAttribute("data-updated-at"));
            assertThat(System.currentTimeMillis() - updatedAt).isLessThan(10_000);
        }
        screenshot(page, "live-again");
    }

    @Test
    @Order(4)
    void twoTabsAreIndependent() throws IOException {
        Page a = open(viaProxy(), "AAPL,MSFT");
        Page b = open(Map.of(), "AAPL,TSLA"); // tab B talks to the edge directly
        assertThat(status(a)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        assertThat(status(b)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        try {
            proxy.cut();
            assertThat(status(a)).not().hasAttribute("data-status", "live", within(UI_TIMEOUT));
            // Tab B is unaffected: still live, still moving.
            assertThat(status(b)).hasAttribute("data-status", "live");
            long s = seq(b, "TSLA");
            assertThat(awaitSeq(b, "TSLA", s)).isGreaterThan(s);
            assertThat(row(b, "TSLA").getAttribute("data-source")).isEqualTo("ws");
            List<String> historyB = statusHistory(b);
            assertThat(historyB.subList(historyB.indexOf("live"), historyB.size())).containsExactly("live");
            // Each tab keeps its own watchlist.
            assertThat(row(a, "TSLA")).hasCount(0);
            assertThat(row(b, "MSFT")).hasCount(0);
        } finally {
            proxy.heal();
        }
        assertThat(status(a)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
    }

    @Test
    @Order(5)
    void aBrowserOutsideTheRolloutPollsAndOpensNoWebSocket() {
        List<String> sockets = Collections.synchronizedList(new ArrayList<>());
        Page page = open(Map.of("rolloutPercent", 0), "AAPL,MSFT", p -> p.onWebSocket(ws -> sockets.add(ws.url())));
        assertThat(status(page)).hasAttribute("data-status", "delayed", within(UI_TIMEOUT));
        long s = awaitSeq(page, "AAPL", 0);
        assertThat(awaitSeq(page, "AAPL", s)).isGreaterThan(s);
        assertThat(row(page, "AAPL").getAttribute("data-source")).isEqualTo("poll");
        page.getByTestId("connection-status").focus();
        assertThat(page.getByTestId("detail-mode")).hasText("Polling every 1 s");
        assertThat(sockets).isEmpty();
    }

    @Test
    @Order(6)
    void messagePackWireFormatCarriesLivePricesInBinaryFrames() throws Exception {
        List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
        List<byte[]> sent = Collections.synchronizedList(new ArrayList<>());
        List<String> text = Collections.synchronizedList(new ArrayList<>());
        // The edge publishes the key (VITE_WS_WIRE_FORMAT, json by default); this tab's /config.js says msgpack.
        String edgeConfig = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(stack.uiUrl().resolve("/config.js")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(edgeConfig).contains("\"wireFormat\":\"json\"");
        Page page = open(Map.of("wireFormat", "msgpack"), "AAPL,NVDA", p -> p.onWebSocket(ws -> {
            ws.onFrameReceived(f -> {
                if (f.binary() != null) {
                    received.add(f.binary());
                } else {
                    text.add("in: " + f.text());
                }
            });
            ws.onFrameSent(f -> {
                if (f.binary() != null) {
                    sent.add(f.binary());
                } else {
                    text.add("out: " + f.text());
                }
            });
        }));
        assertThat(status(page)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        for (String symbol : List.of("AAPL", "NVDA")) {
            long first = awaitSeq(page, symbol, 0);
            assertThat(awaitSeq(page, symbol, first)).isGreaterThan(first);
            assertThat(row(page, symbol).getAttribute("data-source")).isEqualTo("ws");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> metrics = (Map<String, Object>) page.evaluate("() => window.__stocktracker.metrics()");
        assertThat(metrics.get("wireFormat")).isEqualTo("msgpack");
        assertThat(((Number) metrics.get("binaryFrames")).intValue()).isPositive();
        page.getByTestId("connection-status").focus();
        assertThat(page.getByTestId("detail-mode")).hasText("WebSocket (MessagePack)");

        // Every frame, both ways, was MessagePack; an independent decoder reads the updates and the subscribe.
        assertThat(text).isEmpty();
        ObjectMapper msgpack = new ObjectMapper(new MessagePackFactory());
        List<JsonNode> in = new ArrayList<>();
        for (byte[] b : List.copyOf(received)) {
            in.add(msgpack.readTree(b));
        }
        assertThat(in).anyMatch(m -> m.path("type").asText().equals("price_update")
                && m.path("symbol").asText().equals("AAPL") && m.path("data").path("seq").canConvertToLong()
                && m.path("data").path("timestamp").isTextual());
        List<JsonNode> out = new ArrayList<>();
        for (byte[] b : List.copyOf(sent)) {
            out.add(msgpack.readTree(b));
        }
        assertThat(out).anyMatch(m -> m.path("action").asText().equals("subscribe")
                && m.path("symbols").toString().contains("AAPL"));
        System.out.println("[figure] msgpack e2e: " + received.size() + " binary frames in, " + sent.size() + " out, "
                + "feed delay ms " + metrics.get("dataLatency"));
    }

    @Test
    @Order(7)
    void stoppingTheEdgeShowsOffline() throws Exception {
        // a page of the edge no other class uses, its WebSocket on the same edge
        int edge = SharedStack.EDGE_TO_STOP;
        Page page = open(Map.of(), "AAPL,MSFT", p -> {
        }, stack.uiUrl(edge));
        assertThat(status(page)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        awaitSeq(page, "AAPL", 0);
        stack.edges().get(edge).close(); // nothing serves this page's HTTP or WebSocket any more
        assertThat(status(page)).hasAttribute("data-status", "offline", within(UI_TIMEOUT));
        assertThat(page.getByTestId("connection-status-label")).hasText("Offline");
        assertThat(statusHistory(page)).containsSubsequence("live", "reconnecting", "offline");
        screenshot(page, "offline");
    }

    // ------------------------------------------------------------------------------------ helpers

    private Map<String, Object> viaProxy() {
        Map<String, Object> c = new LinkedHashMap<>(FAST);
        // the page's host name: its Content-Security-Policy lets it open WebSockets there on any port
        c.put("wsUrl", "ws://localhost:" + proxy.port() + "/ws");
        return c;
    }

    private Page open(Map<String, Object> overrides, String symbols) {
        return open(overrides, symbols, p -> {
        });
    }

    /** A new tab in its own context (own storage), the edge's /config.js extended with {@code overrides}. */
    private Page open(Map<String, Object> overrides, String symbols, java.util.function.Consumer<Page> beforeLoad) {
        return open(overrides, symbols, beforeLoad, stack.uiUrl());
    }

    private Page open(Map<String, Object> overrides, String symbols, java.util.function.Consumer<Page> beforeLoad, URI ui) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 640));
        contexts.add(context);
        Map<String, Object> all = new LinkedHashMap<>(FAST);
        all.putAll(overrides);
        overrideConfig(context, all);
        recordStatusHistory(context);
        Page page = context.newPage();
        logToStdout(page);
        beforeLoad.accept(page);
        page.navigate(ui + "?symbols=" + symbols);
        return page;
    }

    private static Map<String, String> prices(Page page, String... symbols) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String s : symbols) {
            m.put(s, page.getByTestId("price-" + s).textContent());
        }
        return m;
    }

    private static LocatorAssertions.HasAttributeOptions within(Duration d) {
        return new LocatorAssertions.HasAttributeOptions().setTimeout(d.toMillis());
    }

    private static LocatorAssertions.HasTextOptions textWithin(Duration d) {
        return new LocatorAssertions.HasTextOptions().setTimeout(d.toMillis());
    }

    private static Path screenshot(Page page, String name) {
        return HeadlessChromium.screenshot(page, name);
    }
}
