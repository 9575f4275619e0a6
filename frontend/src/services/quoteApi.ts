import type { AlertRule, AlertTriggeredMessage, StockQuote } from '../types/messages';
import { readAuthToken } from './authToken';
import { feedStatus } from './feedStatus';

/** The edge's REST API: the polling fallback and the symbol search read it. */
export class QuoteApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'QuoteApiError';
  }
}

/** Network failures and server errors: not about one symbol. */
export function isConnectivityError(e: unknown): boolean {
  return e instanceof QuoteApiError && (e.status === 0 || e.status >= 500);
}

export interface SymbolInfo {
  symbol: string;
  price?: number | null;
  name?: string | null;
}

/**
 * An edge with AUTH_MODE=jwt answers REST only with the page's token, sent as a header: never in the URL,
 * where proxies would log it.
 */
function requestHeaders(): Record<string, string> {
  const token = readAuthToken();
  return token ? { Accept: 'application/json', Authorization: `Bearer ${token}` } : { Accept: 'application/json' };
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: requestHeaders(), signal, cache: 'no-store' });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    feedStatus.notePollFailure();
    throw new QuoteApiError('Cannot reach the server', 0);
  }
  if (!response.ok) {
    // A 404 still proves the HTTP path works; 5xx and gateway errors do not.
    if (response.status >= 500) feedStatus.notePollFailure();
    else feedStatus.notePollSuccess();
    const text = await response.text().catch(() => '');
    throw new QuoteApiError(errorText(response.status, text), response.status);
  }
  feedStatus.notePollSuccess();
  return (await response.json()) as T;
}

function errorText(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: string; code?: string };
    if (parsed.message) return parsed.message;
  } catch {
    // not JSON
  }
  if (status === 401) return 'Sign in to see quotes';
  if (status === 404) return 'Unknown symbol';
  if (status === 429) return 'Too many requests: slowing down';
  return status >= 500 ? `Server unavailable (HTTP ${status})` : `Request failed (HTTP ${status})`;
}

/** GET /api/quotes/{symbol}: 404 for an unknown symbol. */
export function fetchQuote(symbol: string, signal?: AbortSignal): Promise<StockQuote> {
  return getJson<StockQuote>(`/api/quotes/${encodeURIComponent(symbol)}`, signal);
}

/** GET /api/quotes?symbols=A,B */
export function fetchQuotes(symbols: string[], signal?: AbortSignal): Promise<StockQuote[]> {
  return getJson<StockQuote[]>(`/api/quotes?symbols=${symbols.map(encodeURIComponent).join(',')}`, signal);
}

/** GET /api/symbols: what the search offers. */
export async function fetchSymbols(signal?: AbortSignal): Promise<SymbolInfo[]> {
  const body = await getJson<unknown>('/api/symbols', signal);
  if (!Array.isArray(body)) return [];
  return body
    .map((item) => (typeof item === 'string' ? { symbol: item } : (item as SymbolInfo)))
    .filter((item): item is SymbolInfo => !!item && typeof item.symbol === 'string');
}

/** GET /api/alerts (AUTH_MODE=jwt): the user's alerts not fired yet, and the fired ones not acknowledged. */
export function fetchAlerts(signal?: AbortSignal): Promise<{ alerts: AlertRule[]; pending: AlertTriggeredMessage[] }> {
  return getJson('/api/alerts', signal);
}

/** DELETE /api/alerts/pending/{alertId}: the fired alert was shown; the edge stops delivering it. */
export async function acknowledgeAlert(alertId: string): Promise<void> {
  const response = await fetch(`/api/alerts/pending/${encodeURIComponent(alertId)}`, {
    method: 'DELETE',
    headers: requestHeaders(),
  });
  if (!response.ok && response.status !== 404) throw new QuoteApiError(`acknowledge failed (HTTP ${response.status})`, response.status);
}
