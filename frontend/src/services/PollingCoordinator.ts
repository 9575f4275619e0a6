import type { StockQuote } from '../types/messages';
import { QuoteApiError, fetchQuote, fetchQuotes } from './quoteApi';

export type PollResult = { quote: StockQuote } | { error: Error };
export type PollListener = (result: PollResult) => void;

interface Group {
  timer: ReturnType<typeof setInterval>;
  listeners: Map<string, Set<PollListener>>;
}

/**
 * One poll loop per polling interval for the whole page, instead of one per row: every symbol that
 * polls at the same interval is fetched together, one `GET /api/quotes?symbols=` per 50 symbols (the
 * per-symbol `GET /api/quotes/{symbol}` when only one is due). A 50-row watchlist in polling mode
 * then costs the edge one request per interval per tab, not fifty.
 */
export class PollingCoordinator {
  private readonly groups = new Map<number, Group>();
  private immediateListeners = new Map<string, Set<PollListener>>();
  private immediateScheduled = false;

  constructor(
    private readonly maxPerRequest = 50,
    private readonly isHidden: () => boolean = () => typeof document !== 'undefined' && document.hidden === true,
    private readonly visibilityTarget: EventTarget | null = typeof document !== 'undefined' ? document : null,
  ) {}

  /** A tab shown again polls everything at once rather than showing data up to one interval old. */
  private readonly onVisible = () => {
    if (this.isHidden()) return;
    for (const g of this.groups.values()) void this.poll(g.listeners);
  };

  /** Polls `symbol` now and every `intervalMs`, until the returned function is called. */
  register(symbol: string, intervalMs: number, listener: PollListener): () => void {
    let group = this.groups.get(intervalMs);
    if (!group) {
      const listeners = new Map<string, Set<PollListener>>();
      const timer = setInterval(() => {
        // A hidden tab skips its polls; it polls again when shown (see below) or at the next tick.
        if (!this.isHidden()) void this.poll(listeners);
      }, intervalMs);
      group = { timer, listeners };
      this.groups.set(intervalMs, group);
      if (this.groups.size === 1) this.visibilityTarget?.addEventListener('visibilitychange', this.onVisible);
    }
    addTo(group.listeners, symbol, listener);
    // Registrations of the same tick (a watchlist mounting) share one immediate request.
    addTo(this.immediateListeners, symbol, listener);
    if (!this.immediateScheduled) {
      this.immediateScheduled = true;
      queueMicrotask(() => {
        this.immediateScheduled = false;
        const due = this.immediateListeners;
        this.immediateListeners = new Map();
        void this.poll(due);
      });
    }
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      const g = this.groups.get(intervalMs);
      if (!g) return;
      removeFrom(g.listeners, symbol, listener);
      removeFrom(this.immediateListeners, symbol, listener);
      if (g.listeners.size === 0) {
        clearInterval(g.timer);
        this.groups.delete(intervalMs);
        if (this.groups.size === 0) this.visibilityTarget?.removeEventListener('visibilitychange', this.onVisible);
      }
    };
  }

  /** Symbols currently polled, any interval. */
  activeSymbols(): Set<string> {
    const out = new Set<string>();
    for (const g of this.groups.values()) for (const s of g.listeners.keys()) out.add(s);
    return out;
  }

  private async poll(listeners: Map<string, Set<PollListener>>): Promise<void> {
    const symbols = [...listeners.keys()];
    if (symbols.length === 0) return;
    const deliver = (symbol: string, result: PollResult) => {
      for (const l of [...(listeners.get(symbol) ?? [])]) {
        try {
          l(result);
        } catch (e) {
          console.error('poll listener failed', e);
        }
      }
    };
    if (symbols.length === 1) {
      const [symbol] = symbols;
      try {
        deliver(symbol, { quote: await fetchQuote(symbol) });
      } catch (e) {
        deliver(symbol, { error: asError(e) });
      }
      return;
    }
    for (let i = 0; i < symbols.length; i += this.maxPerRequest) {
      const chunk = symbols.slice(i, i + this.maxPerRequest);
      try {
        const quotes = await fetchQuotes(chunk);
        const bySymbol = new Map(quotes.map((q) => [q.symbol, q]));
        for (const symbol of chunk) {
          const quote = bySymbol.get(symbol);
          deliver(symbol, quote ? { quote } : { error: new QuoteApiError(`Unknown symbol: ${symbol}`, 404) });
        }
      } catch (e) {
        for (const symbol of chunk) deliver(symbol, { error: asError(e) });
      }
    }
  }
}

function addTo(map: Map<string, Set<PollListener>>, symbol: string, listener: PollListener): void {
  let set = map.get(symbol);
  if (!set) map.set(symbol, (set = new Set()));
  set.add(listener);
}

function removeFrom(map: Map<string, Set<PollListener>>, symbol: string, listener: PollListener): void {
  const set = map.get(symbol);
  if (!set) return;
  set.delete(listener);
  if (set.size === 0) map.delete(symbol);
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

export const pollingCoordinator = new PollingCoordinator();
