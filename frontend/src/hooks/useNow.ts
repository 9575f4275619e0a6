import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`: for "3 s ago" labels. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "just now", "12 s ago", "3 min ago", "2 h ago"; an em dash when never. */
export function formatAge(then: Date | number | null | undefined, now: number): string {
  if (then == null) return '—';
  const t = typeof then === 'number' ? then : then.getTime();
  const s = Math.max(0, Math.round((now - t) / 1000));
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.floor(m / 60)} h ago`;
}
