/**
 * Fired alerts arrive at least once (the edge repeats them until acknowledged, on every connection of
 * the user, and again after a reload that raced the acknowledgement): the inbox lets each alertId
 * through once per browser. The ids seen are kept in localStorage, bounded (oldest forgotten first).
 */
export const SEEN_ALERTS_KEY = 'stocktracker.alerts.seen';
const MAX_SEEN = 500;

export class AlertInbox {
  private readonly seen: string[];

  constructor(private readonly storage: Storage | null) {
    this.seen = read(storage);
  }

  /** True the first time this id is offered; it is remembered from then on. */
  admit(alertId: string): boolean {
    if (this.seen.includes(alertId)) return false;
    this.seen.push(alertId);
    if (this.seen.length > MAX_SEEN) this.seen.splice(0, this.seen.length - MAX_SEEN);
    try {
      this.storage?.setItem(SEEN_ALERTS_KEY, JSON.stringify(this.seen));
    } catch {
      // storage full or denied: this page still shows each id once
    }
    return true;
  }
}

function read(storage: Storage | null): string[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(SEEN_ALERTS_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string').slice(-MAX_SEEN) : [];
  } catch {
    return [];
  }
}
