package io.stocktracker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine's Chromium (Debian's package, never a Playwright download) driven headless by Playwright,
 * shared by the browser end-to-end test classes.
 *
 * <p>Without a Chromium the calling test class is skipped, except where {@code STOCKTRACKER_REQUIRE_BROWSER=1}
 * (CI's {@code .ci/run}): there a missing browser fails, so the suite cannot go green by not running.
 */
final class HeadlessChromium implements AutoCloseable {
    /** Where every e2e screenshot goes (relative to the launcher module). */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final Playwright playwright;
    private final Browser browser;

    private HeadlessChromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    /**
     * PLAYWRIGHT_CHROMIUM_EXECUTABLE or /usr/bin/chromium; skips the calling test class (fails it under
     * STOCKTRACKER_REQUIRE_BROWSER=1) when it is not there. Creates {@link #SCREENSHOTS}.
     */
    static Path executableOrSkip() {
        Path chromium = Path.of(System.getenv().getOrDefault("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium"));
        // CI (.ci/run) requires the browser: there a missing Chromium is a failure, never a skip
        if ("1".equals(System.getenv("STOCKTRACKER_REQUIRE_BROWSER"))) {
            assertThat(Files.isExecutable(chromium)).as("no Chromium at " + chromium + ": apt-get install chromium").isTrue();
        }
        assumeTrue(Files.isExecutable(chromium), "no Chromium at " + chromium + ": apt-get install chromium");
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return chromium;
    }

    /** Starts Playwright's driver and a headless {@code executable}. */
    static HeadlessChromium launch(Path executable) {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        env.put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(env));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(executable)
                    .setHeadless(true)
                    .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                            "--disable-background-networking", "--disable-component-update", "--disable-sync")));
            return new HeadlessChromium(playwright, browser);
        } catch (RuntimeException e) {
            playwright.close();
            throw e;
        }
    }

    Browser browser() {
        return browser;
    }

    /** Saves the page to {@link #SCREENSHOTS}/{@code name}.png; a closed page is silently skipped. */
    static Path screenshot(Page page, String name) {
        Path path = SCREENSHOTS.resolve(name + ".png");
        try {
            page.screenshot(new Page.ScreenshotOptions().setPath(path));
        } catch (RuntimeException e) {
            // a closed page has nothing to show
        }
        return path;
    }

    @Override
    public void close() {
        try {
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
