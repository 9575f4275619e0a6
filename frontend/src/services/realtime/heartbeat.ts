/**
 * The client's side of liveness once the edge has accepted the connection: a ping now and every
 * interval, and "silent" when no frame at all arrived for the timeout (a half-open TCP connection may
 * never fire close).
 */
export class Heartbeat {
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastActivityMs = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly ping: () => void,
    private readonly silent: () => void,
  ) {}

  /** Any frame, or the socket opening, counts as a sign of life. */
  activity(): void {
    this.lastActivityMs = Date.now();
  }

  start(): void {
    this.stop();
    if (!(this.intervalMs > 0)) return;
    this.ping();
    this.timer = setInterval(() => {
      if (Date.now() - this.lastActivityMs > this.timeoutMs) {
        this.silent();
        return;
      }
      this.ping();
    }, this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
