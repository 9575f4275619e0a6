package io.stocktracker.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.stocktracker.e2e.WatchlistPages.logToStdout;
import static io.stocktracker.e2e.WatchlistPages.overrideConfig;
import static io.stocktracker.e2e.WatchlistPages.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.stocktracker.launcher.stack.Stack;
import io.stocktracker.launcher.stack.StackOptions;
import io.stocktracker.schemas.codec.JsonCodec;
import io.stocktracker.schemas.contract.Topics;
import io.stocktracker.schemas.model.RawQuote;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Price alerts end to end: the bundled watchlist in headless Chromium against the launcher's in-process stack with
 * AUTH_MODE=jwt (embedded Kafka, redis-server, streams-processor evaluating the alerts, the edge relaying them). The
 * test writes the quotes of its symbol to quotes.raw itself (no ingest), so it decides when the alert fires: while
 * the user's page is closed.
 *
 * <p>{@code window.Notification} is replaced (an init script) by a recorder that reports permission granted: what
 * the app asks the browser to show is checked, not the desktop's rendering of it.
 */
@ExtendWith(SharedChromium.class)
class BrowserAlertsTest {
    private static final String SECRET = "browser-alerts-hs256-secret-of-at-least-32-chars";
    private static final String TOKEN_KEY = "stocktracker.authToken";
    private static final String SYMBOL = "ALRX";
    private static final String RECORD_NOTIFICATIONS = "window.__notifications = [];"
            + "window.Notification = class {"
            + "  static permission = 'granted';"
            + "  static requestPermission() { return Promise.resolve('granted'); }"
            + "  constructor(title, options) { window.__notifications.push({ title, body: options && options.body }); }"
            + "};";

    private static Stack stack;
    private static HeadlessChromium headless;
    private static KafkaProducer<String, byte[]> producer;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void startStackAndBrowser(HeadlessChromium chromium) {
        headless = chromium;
        // its own stack: no ingest, so the test alone writes its symbol's quotes and decides when the alert fires; no
        // warm-up, as StackOptions.forTests (EdgeWarmupTest covers it)
        Map<String, String> env = Map.of("EDGE_PORT", "0", "WARMUP_QUOTES", "0", "AUTH_MODE", "jwt", "JWT_SECRET", SECRET);
        stack = Stack.start(StackOptions.read(env, false, false));
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopAll() {
        if (producer != null) {
            producer.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    @Test
    void anAlertThatFiresWhileThePageIsClosedIsShownOnceWhenItReopens() throws Exception {
        String user = "alerts-" + UUID.randomUUID();
        String token = JWT.create().withSubject(user).withExpiresAt(Instant.now().plusSeconds(3600)).sign(Algorithm.HMAC256(SECRET));
        quote(100.0);

        // one browser (its localStorage), and the page of the watchlist in it
        BrowserContext browser = context(token);
        Page page = open(browser, null);
        assertThat(page.getByTestId("price-" + SYMBOL)).hasAttribute("data-price", "100");
        page.getByTestId("alerts-" + SYMBOL).click();
        page.getByTestId("alert-kind-" + SYMBOL).selectOption("above");
        page.getByTestId("alert-value-" + SYMBOL).fill("150");
        page.getByTestId("alert-add-" + SYMBOL).click();
        assertThat(page.getByTestId("alerts-" + SYMBOL)).hasAttribute("aria-label", "Price alerts for " + SYMBOL + " (1)");
        String alertId = page.locator(".alert-list li").first().getAttribute("data-testid").substring("alert-".length());
        page.close();

        quote(149.0);
        // fires, with nobody of the user connected; the definition reaches streams-processor's by-symbol table through a
        // repartition topic, so the quote is repeated until the alert has fired
        long deadline = System.nanoTime() + WatchlistPages.UI_TIMEOUT.toNanos() * 2;
        while (restAlerts(user).path("pending").isEmpty()) {
            assertThat(System.nanoTime()).as("the alert fired").isLessThan(deadline);
            quote(160.0);
            Thread.sleep(300);
        }
        assertThat(restAlerts(user).path("alerts")).isEmpty();

        List<String> frames = Collections.synchronizedList(new ArrayList<>());
        Page reopened = open(browser, frames);
        assertThat(reopened.getByTestId("alert-notice-" + alertId)).isVisible();
        assertThat(reopened.getByTestId("alert-notice-" + alertId)).containsText(Pattern.compile(SYMBOL + ".*150.*160"));
        HeadlessChromium.screenshot(reopened, "alert-fired-while-closed");
        waitFor(reopened, () -> notifications(reopened).size() == 1, "one browser notification");
        assertThat(notifications(reopened).get(0)).containsEntry("title", SYMBOL + " alert");
        assertThat(reopened.getByTestId("alerts-" + SYMBOL)).hasAttribute("aria-label", "Price alerts for " + SYMBOL + " (0)");

        // the page acknowledged it: the edge delivers it to no later connection of the user
        waitForRest(user, body -> body.path("pending").isEmpty(), "the acknowledgement");
        frames.clear();
        reopened.reload();
        waitFor(reopened, () -> received(frames, "alerts"), "the alert list on the new connection");
        assertThat(reopened.getByTestId("alert-notice-" + alertId)).hasCount(0);
        assertThat(frames).noneMatch(f -> f.contains("\"alert_triggered\""));
        assertThat(notifications(reopened)).isEmpty();

        // another browser of the same user (nothing remembered locally) is not told again either
        List<String> elsewhere = Collections.synchronizedList(new ArrayList<>());
        Page other = open(context(token), elsewhere);
        waitFor(other, () -> received(elsewhere, "alerts"), "the alert list in the other browser");
        assertThat(elsewhere).noneMatch(f -> f.contains("\"alert_triggered\""));
        assertThat(other.getByTestId("alert-notices")).hasCount(0);
    }

    private BrowserContext context(String token) {
        BrowserContext context = headless.browser().newContext(new Browser.NewContextOptions().setViewportSize(1100, 640));
        contexts.add(context);
        overrideConfig(context, Map.of("reconnectInterval", 500, "maxReconnectDelay", 1500));
        context.addInitScript(RECORD_NOTIFICATIONS);
        context.addInitScript("try { sessionStorage.setItem('" + TOKEN_KEY + "', '" + token + "'); } catch (e) { }");
        return context;
    }

    /** A new tab of {@code context} on the watchlist of {@link #SYMBOL}; its socket's frames into {@code frames}. */
    private static Page open(BrowserContext context, List<String> frames) {
        Page page = context.newPage();
        logToStdout(page);
        if (frames != null) {
            page.onWebSocket(ws -> ws.onFrameReceived(f -> frames.add(f.text())));
        }
        page.navigate(stack.uiUrl() + "?symbols=" + SYMBOL);
        return page;
    }

    private static boolean received(List<String> frames, String type) {
        synchronized (frames) {
            return frames.stream().anyMatch(f -> f.contains("\"type\":\"" + type + "\""));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> notifications(Page page) {
        return (List<Map<String, Object>>) page.evaluate("() => window.__notifications");
    }

    private static void quote(double price) throws Exception {
        Instant now = Instant.now();
        RawQuote raw = new RawQuote(SYMBOL, price, null, null, null, null, null, null, null, now, "Test", now);
        producer.send(new ProducerRecord<>(Topics.QUOTES_RAW, SYMBOL, JsonCodec.toBytes(raw))).get();
    }

    /** GET /api/alerts as the user: what the polling fallback reads. */
    private static JsonNode restAlerts(String user) throws Exception {
        String token = JWT.create().withSubject(user).withExpiresAt(Instant.now().plusSeconds(600)).sign(Algorithm.HMAC256(SECRET));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(stack.uiUrl().resolve("/api/alerts").toString()))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonCodec.tree(r.body());
    }

    private static void waitForRest(String user, java.util.function.Predicate<JsonNode> done, String what) throws Exception {
        long deadline = System.nanoTime() + WatchlistPages.UI_TIMEOUT.toNanos() * 2;
        JsonNode last = restAlerts(user);
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within the timeout; last /api/alerts: " + last);
            }
            Thread.sleep(200);
            last = restAlerts(user);
        }
    }
}
