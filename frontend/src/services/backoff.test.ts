import { describe, expect, it } from 'vitest';
import { BoundedQueue } from './BoundedQueue';
import { DEFAULT_BACKOFF, cappedDelay, reconnectDelay, reconnectDelayBounds } from './backoff';

describe('reconnection backoff', () => {
  it('follows the seed schedule 1, 2, 4, 8, 16 s then 30 s max', () => {
    const schedule = [1, 2, 3, 4, 5, 6, 7, 10, 50, 1000].map((n) => cappedDelay(n));
    expect(schedule).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000, 30000]);
  });

  it('scales with the configured base interval', () => {
    const policy = { ...DEFAULT_BACKOFF, baseDelayMs: 5000 };
    expect([1, 2, 3, 4].map((n) => cappedDelay(n, policy))).toEqual([5000, 10000, 20000, 30000]);
  });

  it('keeps every jittered delay within +-20% of the capped delay', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      const [min, max] = reconnectDelayBounds(attempt);
      const capped = cappedDelay(attempt);
      expect(min).toBe(Math.round(capped * 0.8));
      expect(max).toBe(Math.round(capped * 1.2));
      for (let i = 0; i < 200; i++) {
        const d = reconnectDelay(attempt, DEFAULT_BACKOFF, Math.random);
        expect(d).toBeGreaterThanOrEqual(min);
        expect(d).toBeLessThanOrEqual(max);
      }
    }
  });

  it('applies jitter after the cap so clients at the cap do not reconnect in lockstep', () => {
    expect(reconnectDelay(10, DEFAULT_BACKOFF, () => 0)).toBe(24_000);
    expect(reconnectDelay(10, DEFAULT_BACKOFF, () => 0.5)).toBe(30_000);
    expect(reconnectDelay(10, DEFAULT_BACKOFF, () => 0.999999)).toBeGreaterThan(35_999);
    // A thousand tabs that all failed ten times spread over the whole 24-36 s window.
    const delays = Array.from({ length: 1000 }, () => reconnectDelay(10));
    expect(new Set(delays).size).toBeGreaterThan(500);
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(10_000);
  });

  it('never returns a negative or non-finite delay for odd inputs', () => {
    expect(reconnectDelay(0)).toBeGreaterThan(0);
    expect(reconnectDelay(1e9, DEFAULT_BACKOFF, () => Number.NaN)).toBe(30_000);
    expect(reconnectDelay(3, { ...DEFAULT_BACKOFF, jitterRatio: 5 }, () => 0)).toBe(0);
  });
});

describe('BoundedQueue', () => {
  it('keeps the newest items up to its capacity and counts what it dropped', () => {
    const q = new BoundedQueue<number>(3);
    for (let i = 1; i <= 5; i++) q.push(i);
    expect(q.size).toBe(3);
    expect(q.dropped).toBe(2);
    expect(q.drain()).toEqual([3, 4, 5]);
    expect(q.size).toBe(0);
  });

  it('with capacity 0 buffers nothing', () => {
    const q = new BoundedQueue<string>(0);
    q.push('a');
    expect(q.size).toBe(0);
    expect(q.dropped).toBe(1);
  });

  it('rejects a negative capacity', () => {
    expect(() => new BoundedQueue(-1)).toThrow(/capacity/);
  });
});
