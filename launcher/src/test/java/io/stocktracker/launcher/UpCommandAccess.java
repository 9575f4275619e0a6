package io.stocktracker.launcher;

import io.stocktracker.launcher.stack.Stack;
import java.io.PrintStream;

/** Lets tests in other packages call the package-private URL printer of {@code up}. */
public final class UpCommandAccess {
    private UpCommandAccess() {}

    public static void printUrls(Stack stack, PrintStream out) {
        UpCommand.printUrls(stack, out);
    }
}
