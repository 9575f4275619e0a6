import type { ClientMessage, StockQuote, SubscribedMessage, SubscriptionOptions } from '../../types/messages';

export interface SubscriptionMetadata {
  symbol: string;
  /** Components holding this symbol; the server is told on 0 -> 1 and 1 -> 0 only. */
  refCount: number;
  subscribedAt: Date;
  status: 'pending' | 'active' | 'rejected';
  rejection?: { code: string; reason?: string };
  /** Highest seq received: sent as `since` on resubscribe so the edge sends only what is newer. */
  lastSeq: number | null;
  lastQuote: StockQuote | null;
  lastUpdate: Date | null;
  /** How the edge shapes this symbol's updates (maxRate, minChangePercent, fields); none: every tick, every field. */
  options?: SubscriptionOptions;
}

export interface Rejection {
  symbol: string;
  code: string;
  reason?: string;
}

/** Rejections worth retrying on the next connection; the rest would be rejected again. */
const PERMANENT_REJECTIONS = new Set(['INVALID_SYMBOL', 'FORBIDDEN_SYMBOL']);

/**
 * Subscriptions as desired state, not queued messages: what the app wants (reference-counted per
 * symbol, with the last seq held) and what the server holds for the current connection. The frames
 * that reconcile the two are computed here; sending them is the caller's business.
 */
export class SubscriptionSet {
  private readonly wanted = new Map<string, SubscriptionMetadata>();
  private held = new Set<string>();

  constructor(private readonly maxSymbolsPerMessage: number) {}

  /**
   * Reference-counted: a symbol stays wanted until every add has been matched by a remove. Options, when given,
   * replace the symbol's options (the last add wins); a symbol the server holds with other options is subscribed
   * again, which replaces them there too.
   */
  add(symbols: string[], options?: SubscriptionOptions): void {
    const now = new Date();
    for (const raw of symbols) {
      const symbol = raw.trim().toUpperCase();
      if (!symbol) continue;
      const existing = this.wanted.get(symbol);
      if (existing) {
        existing.refCount++;
        if (options !== undefined && optionsKey(options) !== optionsKey(existing.options)) {
          existing.options = options;
          this.held.delete(symbol);
        }
      } else {
        this.wanted.set(symbol, {
          symbol,
          refCount: 1,
          subscribedAt: now,
          status: 'pending',
          lastSeq: null,
          lastQuote: null,
          lastUpdate: null,
          ...(options !== undefined ? { options } : {}),
        });
      }
    }
  }

  remove(symbols: string[]): void {
    for (const raw of symbols) {
      const symbol = raw.trim().toUpperCase();
      const existing = this.wanted.get(symbol);
      if (!existing) continue;
      existing.refCount--;
      if (existing.refCount <= 0) this.wanted.delete(symbol);
    }
  }

  get size(): number {
    return this.wanted.size;
  }

  symbols(): Set<string> {
    return new Set(this.wanted.keys());
  }

  get(symbol: string): SubscriptionMetadata | undefined {
    return this.wanted.get(symbol.toUpperCase());
  }

  /**
   * The unsubscribe and subscribe frames (at most maxSymbolsPerMessage symbols each) that bring the
   * server from what it holds to what is wanted, counted as held from now. A subscribe carries
   * `since` for the symbols with a seq, so the edge answers only where it has something newer, and
   * `options` for symbols that have them (one frame per distinct options).
   */
  reconcile(): ClientMessage[] {
    const frames: ClientMessage[] = [];
    const toSubscribe: string[] = [];
    for (const sub of this.wanted.values()) {
      if (!this.held.has(sub.symbol) && sub.status !== 'rejected') toSubscribe.push(sub.symbol);
    }
    const toUnsubscribe = [...this.held].filter((s) => !this.wanted.has(s));
    const chunk = Math.max(1, this.maxSymbolsPerMessage);
    for (let i = 0; i < toUnsubscribe.length; i += chunk) {
      const symbols = toUnsubscribe.slice(i, i + chunk);
      symbols.forEach((s) => this.held.delete(s));
      frames.push({ action: 'unsubscribe', symbols });
    }
    const byOptions = new Map<string, string[]>();
    for (const s of toSubscribe) {
      const key = optionsKey(this.wanted.get(s)?.options);
      byOptions.set(key, [...(byOptions.get(key) ?? []), s]);
    }
    for (const group of byOptions.values()) {
      const options = this.wanted.get(group[0])?.options;
      for (let i = 0; i < group.length; i += chunk) {
        const symbols = group.slice(i, i + chunk);
        const since: Record<string, number> = {};
        for (const s of symbols) {
          const seq = this.wanted.get(s)?.lastSeq;
          if (seq != null) since[s] = seq;
        }
        symbols.forEach((s) => this.held.add(s));
        frames.push({
          action: 'subscribe',
          symbols,
          ...(Object.keys(since).length ? { since } : {}),
          ...(options && optionsKey(options) !== NO_OPTIONS ? { options } : {}),
        });
      }
    }
    return frames;
  }

  /**
   * Subscribe frames asking again for everything the server holds (an unreadable frame may have been
   * an update); none when it holds nothing.
   */
  resubscribeHeld(): ClientMessage[] {
    if (this.held.size === 0) return [];
    const held = this.held;
    this.held = new Set();
    const frames = this.reconcile();
    if (this.held.size === 0) held.forEach((s) => this.held.add(s));
    return frames;
  }

  /** A new connection holds nothing; transient rejections get another chance on it. */
  startConnection(): void {
    this.held = new Set();
    for (const sub of this.wanted.values()) {
      if (sub.status === 'rejected' && !PERMANENT_REJECTIONS.has(sub.rejection?.code ?? '')) sub.status = 'pending';
      else if (sub.status === 'active') sub.status = 'pending';
    }
  }

  /** The connection is gone, and with it what the server held. */
  connectionLost(): void {
    this.held.clear();
  }

  /** The edge's answer to a subscribe; returns the rejections, which are no longer held. */
  acknowledge(message: SubscribedMessage): Rejection[] {
    for (const symbol of message.symbols ?? []) {
      const sub = this.wanted.get(symbol);
      if (sub) sub.status = 'active';
    }
    const rejections: Rejection[] = [];
    for (const r of message.rejected ?? []) {
      const sub = this.wanted.get(r.symbol);
      this.held.delete(r.symbol);
      if (sub) {
        sub.status = 'rejected';
        sub.rejection = { code: String(r.code), reason: r.reason };
      }
      rejections.push({ symbol: r.symbol, code: String(r.code), reason: r.reason });
    }
    return rejections;
  }

  /** Keeps a quote for a wanted symbol unless its seq is not newer; true when it was kept. */
  recordQuote(quote: StockQuote): boolean {
    const sub = this.wanted.get(quote.symbol);
    if (!sub) return false;
    if (quote.seq != null && sub.lastSeq != null && quote.seq <= sub.lastSeq) return false;
    if (quote.seq != null) sub.lastSeq = quote.seq;
    sub.lastQuote = quote;
    sub.lastUpdate = new Date();
    return true;
  }
}

const NO_OPTIONS = '{}';

/** Options compared by value: {} and none are the same (every tick, every field). */
function optionsKey(options: SubscriptionOptions | undefined): string {
  if (!options) return NO_OPTIONS;
  const { maxRate, minChangePercent, fields } = options;
  return JSON.stringify({ maxRate, minChangePercent, fields: fields ? [...fields].sort() : undefined });
}
