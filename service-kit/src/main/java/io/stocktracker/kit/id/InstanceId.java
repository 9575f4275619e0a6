package io.stocktracker.kit.id;

import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The name an instance goes by in Redis keys, lease values and Kafka client ids (edge id, ingest instance id):
 * one safe alphabet, and one way to make a name from the host when the operator gives none.
 */
public final class InstanceId {
    /** What an id may be made of: it ends up in Redis keys and Kafka client ids. */
    public static final String ALPHABET = "A-Za-z0-9._:-";
    public static final String ALPHABET_TEXT = "letters, digits, '.', '_', ':' or '-'";
    private static final Pattern UNSAFE = Pattern.compile("[^" + ALPHABET + "]");

    private InstanceId() {
    }

    public static boolean isValid(String id, int maxLength) {
        return id != null && !id.isEmpty() && id.length() <= maxLength && !UNSAFE.matcher(id).find();
    }

    /** The problem with {@code id} for key {@code key}, or null when it is fine. */
    public static String problem(String key, String id, int maxLength) {
        return isValid(id, maxLength) ? null
                : key + " must be 1-" + maxLength + " " + ALPHABET_TEXT + " (was '" + id + "')";
    }

    /**
     * {@code given} when set; otherwise the host name (HOSTNAME, as containers set it, or the resolver's), made
     * safe, with a random suffix so two processes on one host differ. At most {@code maxLength} characters.
     */
    public static String orFromHost(String given, String fallbackHost, int maxLength) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        String suffix = "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000000, Integer.MAX_VALUE));
        String host = UNSAFE.matcher(hostname(fallbackHost)).replaceAll("-");
        return host.substring(0, Math.min(host.length(), maxLength - suffix.length())) + suffix;
    }

    private static String hostname(String fallback) {
        String h = System.getenv("HOSTNAME");
        if (h != null && !h.isBlank()) {
            return h;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return fallback;
        }
    }
}
