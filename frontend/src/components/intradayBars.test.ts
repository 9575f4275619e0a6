import { describe, expect, it } from 'vitest';
import { applyTick, candleOf, mergeBars } from './intradayBars';

const bar = (start: string, close: number) => ({
  symbol: 'AAPL',
  windowStart: start,
  windowEnd: start,
  open: close - 1,
  high: close + 1,
  low: close - 2,
  close,
  volume: 10,
  count: 2,
});

describe('intraday candles', () => {
  it('turns a bar into a candle at its minute in UTC seconds', () => {
    expect(candleOf(bar('2026-12-07T14:30:00Z', 10))).toEqual({ time: 1796653800, open: 9, high: 11, low: 8, close: 10 });
  });

  it('merges closed bars over tick-built candles by minute, sorted', () => {
    const ticked = { time: 1796653860, open: 5, high: 5, low: 5, close: 5 };
    const merged = mergeBars([ticked], [bar('2026-12-07T14:31:00Z', 10), bar('2026-12-07T14:30:00Z', 9)]);
    expect(merged.map((c) => [c.time, c.close])).toEqual([
      [1796653800, 9],
      [1796653860, 10],
    ]);
  });

  it('moves the forming candle with each tick of its minute and opens a new one on the next minute', () => {
    const t0 = Date.parse('2026-12-07T14:30:10Z');
    const first = applyTick(undefined, 10, t0)!;
    expect(first).toEqual({ time: 1796653800, open: 10, high: 10, low: 10, close: 10 });
    const moved = applyTick(first, 12, t0 + 20_000)!;
    expect(moved).toEqual({ time: 1796653800, open: 10, high: 12, low: 10, close: 12 });
    const lower = applyTick(moved, 9, t0 + 30_000)!;
    expect(lower).toEqual({ time: 1796653800, open: 10, high: 12, low: 9, close: 9 });
    expect(applyTick(lower, 11, t0 + 60_000)).toEqual({ time: 1796653860, open: 11, high: 11, low: 11, close: 11 });
    expect(applyTick(lower, 11, t0 - 60_000)).toBeNull();
  });
});
