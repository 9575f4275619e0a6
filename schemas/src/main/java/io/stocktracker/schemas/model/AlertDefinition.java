package io.stocktracker.schemas.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A value of {@code alerts.definitions} (compacted, key {@code {user}|{alertId}}, see {@link #key}): the alert of a
 * token's {@code sub}. A tombstone deletes it (the user deleted it, or it fired).
 */
public record AlertDefinition(@JsonProperty(required = true) String user, @JsonProperty(required = true) AlertRule alert) {

    /** The record key of one user's alert in {@code alerts.definitions} and {@code alerts.fired}. */
    public static String key(String user, String alertId) {
        return user + "|" + alertId;
    }
}
