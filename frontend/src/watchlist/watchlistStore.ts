import { normalizeSymbol } from '../types/messages';

/** The watchlist survives reloads in localStorage; a `?symbols=A,B` link sets it explicitly. */
export const WATCHLIST_KEY = 'stocktracker.watchlist.v1';
export const MAX_WATCHLIST = 50;

export function parseSymbols(text: string | null | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    const s = normalizeSymbol(part);
    if (s && !out.includes(s)) out.push(s);
  }
  return out.slice(0, MAX_WATCHLIST);
}

export function loadWatchlist(storage: Storage | null, search: string): string[] | null {
  const fromUrl = new URLSearchParams(search).get('symbols');
  if (fromUrl != null) return parseSymbols(fromUrl);
  try {
    const raw = storage?.getItem(WATCHLIST_KEY);
    if (raw == null) return null;
    const parsed: unknown = JSON.parse(raw);
    if (!Array.isArray(parsed)) return null;
    return parseSymbols(parsed.filter((x) => typeof x === 'string').join(','));
  } catch {
    return null;
  }
}

export function saveWatchlist(storage: Storage | null, symbols: string[]): void {
  try {
    storage?.setItem(WATCHLIST_KEY, JSON.stringify(symbols));
  } catch {
    // Storage full or blocked: the list lives for this page only.
  }
}

export function safeLocalStorage(): Storage | null {
  try {
    return typeof localStorage !== 'undefined' ? localStorage : null;
  } catch {
    return null;
  }
}
