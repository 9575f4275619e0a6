import type { Bar } from '../services/barsApi';

/** A candle as the chart draws it: `time` is the minute's start in UTC seconds. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

const MINUTE = 60;

export function candleOf(bar: Bar): Candle {
  return {
    time: Math.floor(Date.parse(bar.windowStart) / 1000),
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
  };
}

/**
 * The closed bars from the edge, merged by minute over what is drawn: a closed bar replaces the candle a
 * tick built for its minute. Sorted, one candle per minute.
 */
export function mergeBars(current: Candle[], bars: Bar[]): Candle[] {
  const byTime = new Map<number, Candle>();
  for (const c of current) byTime.set(c.time, c);
  for (const b of bars) {
    const c = candleOf(b);
    byTime.set(c.time, c);
  }
  return [...byTime.values()].sort((a, b) => a.time - b.time);
}

/**
 * The candle a price tick at `atMs` makes: the minute's forming candle moved by the price, or a new one opening
 * at it. Returns null for a tick older than the last candle (the chart only moves forward).
 */
export function applyTick(last: Candle | undefined, price: number, atMs: number): Candle | null {
  const minute = Math.floor(atMs / 1000 / MINUTE) * MINUTE;
  if (last && minute < last.time) return null;
  if (last && minute === last.time) {
    return { time: minute, open: last.open, high: Math.max(last.high, price), low: Math.min(last.low, price), close: price };
  }
  return { time: minute, open: price, high: price, low: price, close: price };
}
