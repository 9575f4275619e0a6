package io.stocktracker.edge.security;

import java.time.Duration;
import java.util.List;

/**
 * Who may open a socket, how fast, and how long it may stay without subscribing (EdgeConfig keys in brackets).
 *
 * @param ratePerSecond new connections per second per client address ({@code ADMISSION_RATE_PER_SECOND})
 * @param burst new connections an address may open at once ({@code ADMISSION_BURST})
 * @param idleUnsubscribedTimeout a socket holding no subscription this long is closed; zero = never
 *                                ({@code IDLE_UNSUBSCRIBED_TIMEOUT_MS})
 * @param allowedOrigins page origins allowed to open {@code /ws} besides the edge's own ({@code ALLOWED_ORIGINS})
 */
public record AdmissionPolicy(double ratePerSecond, int burst, Duration idleUnsubscribedTimeout, List<String> allowedOrigins) {
}
