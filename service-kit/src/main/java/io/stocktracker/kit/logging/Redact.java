package io.stocktracker.kit.logging;

import java.net.URI;
import java.net.URISyntaxException;

/** What a config record's {@code toString} prints in place of a secret, so a logged config leaks none. */
public final class Redact {
    static final String MASK = "***";

    private Redact() {
    }

    /** {@code "***"} for a set secret, {@code ""} for an unset one: the log still says whether it is set. */
    public static String secret(String value) {
        return value == null || value.isEmpty() ? "" : MASK;
    }

    /**
     * The URL without its password: {@code redis://:pw@host:6379} prints {@code redis://:***@host:6379},
     * {@code redis://user:pw@host} prints {@code redis://user:***@host}, and a lone user-info part (which Redis
     * clients read as the password) prints as {@code ***}. A URL that does not parse prints as {@code ***}, since
     * where its password sits is unknown.
     */
    public static String url(String url) {
        if (url == null) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return MASK;
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return url;
        }
        int colon = userInfo.indexOf(':');
        String shown = colon < 0 ? MASK : userInfo.substring(0, colon) + ":" + MASK;
        return url.replaceFirst(java.util.regex.Pattern.quote(userInfo + "@"), java.util.regex.Matcher.quoteReplacement(shown + "@"));
    }
}
