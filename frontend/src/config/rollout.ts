/**
 * The seed's migration plan (10% -> 50% -> 100% of users on WebSocket) as a flag: each browser
 * draws a stable bucket 0-99 once and keeps it, so a user stays on one transport between visits
 * and raising rolloutPercent only ever moves browsers from polling to WebSocket.
 */
export const BUCKET_KEY = 'stocktracker.rolloutBucket';

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export function rolloutBucket(storage: StorageLike | null, random: () => number = Math.random): number {
  try {
    const stored = storage?.getItem(BUCKET_KEY);
    const n = stored == null ? NaN : Number(stored);
    if (Number.isInteger(n) && n >= 0 && n < 100) return n;
    const drawn = Math.min(99, Math.floor(random() * 100));
    storage?.setItem(BUCKET_KEY, String(drawn));
    return drawn;
  } catch {
    // Storage blocked (privacy mode): draw per page load.
    return Math.min(99, Math.floor(random() * 100));
  }
}

/** bucket < rolloutPercent: 0% puts nobody on WebSocket, 100% everybody. */
export function inRollout(bucket: number, rolloutPercent: number): boolean {
  return bucket < rolloutPercent;
}

export type TransportChoice = { useWebSocket: boolean; reason: 'disabled' | 'rollout' | 'override' | 'enabled' };

/**
 * Whether this page uses WebSocket. `?transport=ws|polling` in the URL forces a choice (support
 * and tests); otherwise enableWebSocket and the rollout bucket decide.
 */
export function chooseTransport(
  enableWebSocket: boolean,
  rolloutPercent: number,
  bucket: number,
  search: string = typeof location !== 'undefined' ? location.search : '',
): TransportChoice {
  const override = new URLSearchParams(search).get('transport');
  if (override === 'ws' || override === 'websocket') return { useWebSocket: true, reason: 'override' };
  if (override === 'polling') return { useWebSocket: false, reason: 'override' };
  if (!enableWebSocket) return { useWebSocket: false, reason: 'disabled' };
  if (!inRollout(bucket, rolloutPercent)) return { useWebSocket: false, reason: 'rollout' };
  return { useWebSocket: true, reason: 'enabled' };
}
