package io.stocktracker.e2e;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** What the browser end-to-end tests do to and read from the watchlist page (selectors: frontend/README.md). */
final class WatchlistPages {
    static final Duration UI_TIMEOUT = Duration.ofSeconds(30);

    private WatchlistPages() {
    }

    /** Every page of {@code context} gets the edge's real /config.js followed by {@code overrides}. */
    static void overrideConfig(BrowserContext context, Map<String, Object> overrides) {
        context.route("**/config.js", route -> fulfillConfig(route, overrides));
    }

    private static void fulfillConfig(Route route, Map<String, Object> overrides) {
        String real;
        try {
            real = route.fetch().text();
        } catch (RuntimeException e) {
            real = "";
        }
        StringBuilder js = new StringBuilder(real).append("\nwindow.__STOCKTRACKER_CONFIG__ = Object.assign(window.__STOCKTRACKER_CONFIG__ || {}, {");
        overrides.forEach((k, v) -> js.append('"').append(k).append("\":")
                .append(v instanceof String ? "\"" + v + "\"" : String.valueOf(v)).append(','));
        js.append("});\n");
        route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType("application/javascript").setBody(js.toString()));
    }

    /** Records every status the indicator takes, in order: a short state is not missed by polling assertions. */
    static void recordStatusHistory(BrowserContext context) {
        context.addInitScript("window.__statusHistory = [];"
                + "new MutationObserver(() => {"
                + "  const el = document.querySelector('[data-testid=connection-status]');"
                + "  const s = el && el.getAttribute('data-status');"
                + "  const h = window.__statusHistory;"
                + "  if (s && h[h.length - 1] !== s) h.push(s);"
                + "}).observe(document, {subtree: true, childList: true, attributes: true, attributeFilter: ['data-status']});");
    }

    @SuppressWarnings("unchecked")
    static List<String> statusHistory(Page page) {
        return (List<String>) page.evaluate("() => window.__statusHistory");
    }

    /** What the page saw, printed with the test output: the first thing to read when a flow fails. */
    static void logToStdout(Page page) {
        page.onConsoleMessage(m -> System.out.println("[page " + m.type() + "] " + m.text()));
        page.onPageError(e -> System.out.println("[page error] " + e));
        page.onWebSocket(ws -> {
            System.out.println("[page ws] open " + ws.url());
            ws.onClose(w -> System.out.println("[page ws] closed " + w.url()));
            ws.onSocketError(e -> System.out.println("[page ws] error " + e));
        });
    }

    static Locator status(Page page) {
        return page.getByTestId("connection-status");
    }

    static Locator row(Page page, String symbol) {
        return page.getByTestId("quote-row-" + symbol);
    }

    static long seq(Page page, String symbol) {
        String s = row(page, symbol).getAttribute("data-seq");
        return s == null || s.isBlank() ? 0 : Long.parseLong(s);
    }

    /** Waits until the row shows a seq greater than {@code after}; returns it. */
    static long awaitSeq(Page page, String symbol, long after) {
        long[] seen = {0};
        waitFor(page, () -> (seen[0] = seq(page, symbol)) > after, symbol + " seq > " + after);
        return seen[0];
    }

    /** Polls on the test thread (Playwright objects are not thread-safe), letting the page run in between. */
    static void waitFor(Page page, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + UI_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                HeadlessChromium.screenshot(page, "timeout-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
                throw new AssertionError("timed out after " + UI_TIMEOUT.toSeconds() + " s waiting for: " + what);
            }
            page.waitForTimeout(100);
        }
    }
}
