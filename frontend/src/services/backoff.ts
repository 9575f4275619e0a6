/**
 * The seed's reconnection schedule: base * 2^(attempt-1), i.e. 1, 2, 4, 8, 16 s, then 30 s max.
 * Jitter is applied AFTER the cap: otherwise every client that has been failing for a while sits
 * exactly on the 30 s cap and a thousand tabs reconnect in lockstep after an edge restart.
 */
export interface BackoffPolicy {
  /** Delay of the first attempt, ms (the seed's `reconnectInterval`). */
  baseDelayMs: number;
  /** Cap before jitter, ms (the seed: 30 s). */
  maxDelayMs: number;
  /** Fraction of the capped delay added or removed at random: 0.2 gives [0.8 d, 1.2 d]. */
  jitterRatio: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000, jitterRatio: 0.2 };

/** The delay before reconnection attempt `attempt` (1-based), without jitter. */
export function cappedDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(1, Math.floor(attempt));
  // 2^(n-1) overflows to Infinity long after the cap is reached; min() keeps it finite.
  return Math.min(policy.baseDelayMs * Math.pow(2, n - 1), policy.maxDelayMs);
}

/** The delay before attempt `attempt`, with jitter; `random` returns a value in [0, 1). */
export function reconnectDelay(
  attempt: number,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const capped = cappedDelay(attempt, policy);
  const ratio = Math.min(Math.max(policy.jitterRatio, 0), 1);
  const factor = 1 - ratio + 2 * ratio * clamp01(random());
  return Math.max(0, Math.round(capped * factor));
}

/** [min, max] that `reconnectDelay(attempt)` can return. */
export function reconnectDelayBounds(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): [number, number] {
  const capped = cappedDelay(attempt, policy);
  const ratio = Math.min(Math.max(policy.jitterRatio, 0), 1);
  return [Math.round(capped * (1 - ratio)), Math.round(capped * (1 + ratio))];
}

function clamp01(x: number): number {
  if (!Number.isFinite(x)) return 0.5;
  return Math.min(Math.max(x, 0), 1);
}
