package io.stocktracker.kit.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Wraps the encoder of either log format (text pattern or JSON) and removes tokens from what it wrote, so no line
 * carries one whatever level an operator turns on: anything shaped like a JWT (its header always starts
 * {@code eyJ}) and any {@code token=} value, in the message and in stack traces. Working on the encoded line
 * rather than on the message is what covers the stack traces and Jetty's own request lines alike.
 */
public class RedactingEncoder extends EncoderBase<ILoggingEvent> {
    static final String REDACTED = "[redacted]";
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
    // stops at a backslash too: inside a JSON string the value may end in an escape, which must survive whole
    private static final Pattern TOKEN_PARAMETER = Pattern.compile("(?i)(token=)[^&\\s\"\\\\]+");

    private Encoder<ILoggingEvent> encoder;

    /** Set by logback from the nested {@code <encoder>} element. */
    public void setEncoder(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    static String redact(String line) {
        String withoutJwts = JWT.matcher(line).replaceAll(REDACTED);
        return TOKEN_PARAMETER.matcher(withoutJwts).replaceAll("$1" + REDACTED);
    }

    @Override
    public void start() {
        if (encoder == null) {
            addError("RedactingEncoder needs a nested <encoder>");
            return;
        }
        if (!encoder.isStarted()) {
            encoder.start();
        }
        super.start();
    }

    @Override
    public void stop() {
        encoder.stop();
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return encoder.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        byte[] line = encoder.encode(event);
        return redact(new String(line, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] footerBytes() {
        return encoder.footerBytes();
    }
}
