/**
 * Health of the HTTP path, shared by every poller of the page: the status indicator shows
 * Delayed while polls succeed and Offline once they fail.
 */
export interface FeedStatusSnapshot {
  lastPollSuccess: number | null;
  lastPollFailure: number | null;
  /** True when the most recent REST call failed (network error or 5xx). */
  httpFailing: boolean;
}

type Listener = () => void;

export class FeedStatus {
  private snapshot: FeedStatusSnapshot = { lastPollSuccess: null, lastPollFailure: null, httpFailing: false };
  private listeners = new Set<Listener>();

  notePollSuccess(now: number = Date.now()): void {
    this.update({ lastPollSuccess: now, lastPollFailure: this.snapshot.lastPollFailure, httpFailing: false });
  }

  notePollFailure(now: number = Date.now()): void {
    this.update({ lastPollSuccess: this.snapshot.lastPollSuccess, lastPollFailure: now, httpFailing: true });
  }

  getSnapshot = (): FeedStatusSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  reset(): void {
    this.update({ lastPollSuccess: null, lastPollFailure: null, httpFailing: false });
  }

  private update(next: FeedStatusSnapshot): void {
    this.snapshot = next;
    for (const l of [...this.listeners]) l();
  }
}

export const feedStatus = new FeedStatus();
