import { reconnectDelay, type BackoffPolicy } from '../backoff';

/** Where `online` is fired (window) and where `visibilitychange` is fired (document). */
export interface Environment {
  windowTarget: EventTarget | null;
  documentTarget: (EventTarget & { visibilityState?: string }) | null;
}

/**
 * The next reconnection attempt, after a jittered backoff, and the browser's hints to try at once
 * instead: the network came back, or the tab became visible.
 */
export class ReconnectTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextAt: Date | null = null;
  private listening = false;

  constructor(
    private readonly backoff: BackoffPolicy,
    private readonly random: () => number,
    private readonly environment: Environment,
    private readonly tryNow: () => void,
  ) {}

  /** Runs `attempt` after the backoff for the given attempt number (1 = first retry). */
  schedule(attemptNumber: number, attempt: () => void): void {
    this.cancel();
    const delay = reconnectDelay(attemptNumber, this.backoff, this.random);
    this.nextAt = new Date(Date.now() + delay);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.nextAt = null;
      attempt();
    }, delay);
  }

  isScheduled(): boolean {
    return this.timer !== null;
  }

  /** When the scheduled attempt is due. */
  nextRetryAt(): Date | null {
    return this.nextAt;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
  }

  listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.environment.windowTarget?.addEventListener('online', this.onOnline);
    this.environment.documentTarget?.addEventListener('visibilitychange', this.onVisibility);
  }

  unlisten(): void {
    if (!this.listening) return;
    this.listening = false;
    this.environment.windowTarget?.removeEventListener('online', this.onOnline);
    this.environment.documentTarget?.removeEventListener('visibilitychange', this.onVisibility);
  }

  private readonly onOnline = () => this.tryNow();
  private readonly onVisibility = () => {
    const visibility = this.environment.documentTarget?.visibilityState;
    if (visibility === undefined || visibility === 'visible') this.tryNow();
  };
}
