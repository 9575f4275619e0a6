package io.stocktracker.e2e;

import org.junit.platform.suite.api.SelectClasses;
import org.junit.platform.suite.api.Suite;

/**
 * The classes of the shared no-auth stack ({@code SharedStack}) in one test JVM, in this order: the stack starts
 * once, and BrowserChartTest, last, finds the first 1-minute bar already closed instead of waiting for it. Surefire
 * runs the members only through this suite (launcher/pom.xml); each still runs alone ({@code -Dtest=BrowserChartTest}).
 */
@Suite
@SelectClasses(names = {
        "io.stocktracker.launcher.stack.StackIntegrationTest",
        "io.stocktracker.e2e.BrowserEndToEndTest",
        "io.stocktracker.e2e.BrowserChartTest"})
class SharedStackSuite {
}
