export type UnsubscribeFn = () => void;

/** Subscribers to one kind of event; one failing handler neither stops the others nor the service. */
export class HandlerSet<H extends (...args: never[]) => void> {
  private readonly handlers = new Set<H>();

  constructor(private readonly kind: string) {}

  add(handler: H): UnsubscribeFn {
    this.handlers.add(handler);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.handlers.delete(handler);
    };
  }

  emit(...args: Parameters<H>): void {
    for (const handler of [...this.handlers]) {
      try {
        handler(...args);
      } catch (e) {
        console.error(`WebSocketService ${this.kind} handler failed`, e);
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
