package io.stocktracker.e2e;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.stocktracker.e2e.WatchlistPages.UI_TIMEOUT;
import static io.stocktracker.e2e.WatchlistPages.logToStdout;
import static io.stocktracker.e2e.WatchlistPages.overrideConfig;
import static io.stocktracker.e2e.WatchlistPages.row;
import static io.stocktracker.e2e.WatchlistPages.status;
import static io.stocktracker.e2e.WatchlistPages.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.stocktracker.launcher.stack.SharedStack;
import io.stocktracker.launcher.stack.Stack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The intraday chart in a real headless Chromium against the real stack (embedded Kafka, redis-server, streams
 * processor writing quotes.bars.1m, simulated ingest, edge): a watchlist row opens it, its forming candle moves with
 * the live prices, and the closed bars are there again right after a reload, over WebSocket and in the polling fallback.
 *
 * <p>On the JVM's shared stack ({@link SharedStack}, a bar closing 1 s after its minute): run after the other classes
 * of that stack (SharedStackSuite), its first bar has closed before it asks; run alone, it waits up to a minute.
 */
@ExtendWith({SharedChromium.class, SharedStack.class})
class BrowserChartTest {
    /** The first bar closes at the end of the current minute plus the grace period. */
    private static final Duration FIRST_BAR = Duration.ofSeconds(150);

    private static Stack stack;
    private static Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();

    @BeforeAll
    static void useTheSharedStackAndBrowser(HeadlessChromium headless, Stack shared) {
        stack = shared;
        browser = headless.browser();
    }

    @AfterEach
    void closeContexts() {
        contexts.forEach(BrowserContext::close);
        contexts.clear();
    }

    @Test
    void aRowOpensTheChartWhoseLiveCandleMovesAndWhoseBarsAreThereAfterAReload() throws Exception {
        Page page = open(Map.of(), "AAPL,MSFT");
        assertThat(status(page)).hasAttribute("data-status", "live", within(UI_TIMEOUT));
        Locator chart = openChart(page, "AAPL");
        Locator first = chart;

        // the forming candle follows the price updates
        waitFor(page, () -> ticks(first) > 0, "a first tick on the chart");
        String close = first.getAttribute("data-last-close");
        int ticks = ticks(first);
        waitFor(page, () -> ticks(first) > ticks && !close.equals(first.getAttribute("data-last-close")), "the live candle moves");
        assertThat(chart.locator("canvas").count()).isPositive();

        // the first closed bar arrives from quotes.bars.1m (the chart re-reads /api/bars every 30 s)
        page.reload();
        chart = openChart(page, "AAPL");
        Locator reloaded = chart;
        waitLonger(page, FIRST_BAR, () -> closedBars(reloaded) > 0, "closed bars over REST");

        // after a reload they are there at once: served by the edge from its bar store, not rebuilt by the page
        page.reload();
        Locator again = openChart(page, "AAPL");
        waitFor(page, () -> closedBars(again) > 0, "closed bars right after a reload");
        waitFor(page, () -> ticks(again) > 1, "the live candle moving again");
        Path shot = HeadlessChromium.SCREENSHOTS.resolve("chart.png");
        byte[] png = again.screenshot(new Locator.ScreenshotOptions().setPath(shot));
        assertThat(png.length).isPositive();
        Path docs = Path.of("..", "docs", "chart.png");
        if (!Files.exists(docs) || Boolean.getBoolean("screenshot.update")) {
            Files.copy(shot, docs, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void thePollingFallbackLoadsTheBarsAndMovesTheCandleToo() throws Exception {
        awaitBarsOverRest("MSFT");
        Page page = open(Map.of("rolloutPercent", 0, "pollingInterval", 1000), "MSFT");
        assertThat(status(page)).hasAttribute("data-status", "delayed", within(UI_TIMEOUT));
        Locator chart = openChart(page, "MSFT");
        waitFor(page, () -> closedBars(chart) > 0, "closed bars over REST without a WebSocket");
        waitFor(page, () -> ticks(chart) > 1, "polled prices moving the candle");
    }

    /** Until the edge serves at least one closed bar of {@code symbol} (the first closes about a minute after start). */
    private static void awaitBarsOverRest(String symbol) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long deadline = System.nanoTime() + FIRST_BAR.toNanos();
        while (true) {
            String body = http.send(java.net.http.HttpRequest.newBuilder(stack.uiUrl().resolve("/api/bars/" + symbol)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (body.contains("\"windowStart\"")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no closed bar of " + symbol + " over REST within " + FIRST_BAR + ": " + body);
            }
            Thread.sleep(1000);
        }
    }

    private Locator openChart(Page page, String symbol) {
        row(page, symbol).locator("th").click();
        Locator chart = page.getByTestId("intraday-chart");
        assertThat(chart).hasAttribute("data-symbol", symbol, within(UI_TIMEOUT));
        return chart;
    }

    private static int ticks(Locator chart) {
        return Integer.parseInt(chart.getAttribute("data-ticks"));
    }

    private static int closedBars(Locator chart) {
        return Integer.parseInt(chart.getAttribute("data-closed-bars"));
    }

    private Page open(Map<String, Object> overrides, String symbols) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 900));
        contexts.add(context);
        overrideConfig(context, overrides);
        Page page = context.newPage();
        logToStdout(page);
        page.navigate(stack.uiUrl() + "?symbols=" + symbols);
        return page;
    }

    private static void waitLonger(Page page, Duration timeout, java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                HeadlessChromium.screenshot(page, "timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            page.waitForTimeout(500);
        }
    }

    private static LocatorAssertions.HasAttributeOptions within(Duration d) {
        return new LocatorAssertions.HasAttributeOptions().setTimeout(d.toMillis());
    }
}
