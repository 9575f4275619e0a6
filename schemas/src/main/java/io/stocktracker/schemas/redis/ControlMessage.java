package io.stocktracker.schemas.redis;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** On {@code market-data:control}: pause/resume fan-out (and ingest), or drain an edge. */
public record ControlMessage(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) Command command,
        String target,
        Instant timestamp) {
    public static final String TYPE = "control";
    public static final String ALL = "*";

    public enum Command {
        pause, resume, drain
    }

    public static ControlMessage of(Command command, String target) {
        return new ControlMessage(TYPE, command, target, Instant.now());
    }

    public boolean targets(String id) {
        return target == null || ALL.equals(target) || target.equals(id);
    }
}
