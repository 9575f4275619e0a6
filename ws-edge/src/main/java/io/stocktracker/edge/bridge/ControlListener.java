package io.stocktracker.edge.bridge;

import io.stocktracker.schemas.redis.ControlMessage;

/** Receives market-data:control commands that target this edge ("*" or its id). */
public interface ControlListener {
    void onControl(ControlMessage message);
}
