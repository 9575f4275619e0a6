package io.stocktracker.e2e;

import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.StoreScope;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One headless Chromium for every browser class of the test JVM: a {@link HeadlessChromium} parameter of a class
 * registering this extension, launched on first use and closed when the JVM's launcher session ends. The classes
 * isolate their pages in contexts of their own (own storage, own routes); the browser process is all they share.
 *
 * <p>Resolving the parameter skips the class without a Chromium (fails it under STOCKTRACKER_REQUIRE_BROWSER=1), so
 * a class asks for the browser before its stack: nothing is started for a class that will not run.
 */
final class SharedChromium implements ParameterResolver {
    private static final Namespace NAMESPACE = Namespace.create(SharedChromium.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == HeadlessChromium.class;
    }

    @Override
    public HeadlessChromium resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Path executable = HeadlessChromium.executableOrSkip();
        return context.getStore(StoreScope.LAUNCHER_SESSION, NAMESPACE)
                .computeIfAbsent(HeadlessChromium.class, k -> HeadlessChromium.launch(executable), HeadlessChromium.class);
    }
}
