package io.stocktracker.streams.bars;

/** What one accepted quote contributes to its 1-minute bar. */
public record BarInput(double price, long volumeDelta, long sourceTimeMs) {
}
