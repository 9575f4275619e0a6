import { useCallback, useEffect, useState } from 'react';
import { normalizeSymbol } from '../types/messages';
import { MAX_WATCHLIST, loadWatchlist, safeLocalStorage, saveWatchlist } from './watchlistStore';

export type AddResult = 'added' | 'duplicate' | 'invalid' | 'full';

export interface Watchlist {
  symbols: string[];
  /** False until a list was loaded or chosen (the app seeds a first-visit list from /api/symbols). */
  initialized: boolean;
  add: (raw: string) => AddResult;
  remove: (symbol: string) => void;
  replace: (symbols: string[]) => void;
}

export function useWatchlist(): Watchlist {
  const [state, setState] = useState<{ symbols: string[]; initialized: boolean }>(() => {
    const loaded = loadWatchlist(safeLocalStorage(), typeof location !== 'undefined' ? location.search : '');
    return { symbols: loaded ?? [], initialized: loaded != null };
  });

  useEffect(() => {
    if (state.initialized) saveWatchlist(safeLocalStorage(), state.symbols);
  }, [state]);

  const add = useCallback(
    (raw: string): AddResult => {
      const symbol = normalizeSymbol(raw);
      if (!symbol) return 'invalid';
      if (state.symbols.includes(symbol)) return 'duplicate';
      if (state.symbols.length >= MAX_WATCHLIST) return 'full';
      setState((s) => (s.symbols.includes(symbol) ? s : { symbols: [...s.symbols, symbol], initialized: true }));
      return 'added';
    },
    [state.symbols],
  );

  const remove = useCallback((symbol: string) => {
    setState((s) => ({ symbols: s.symbols.filter((x) => x !== symbol), initialized: true }));
  }, []);

  const replace = useCallback((symbols: string[]) => {
    setState({ symbols: symbols.slice(0, MAX_WATCHLIST), initialized: true });
  }, []);

  return { symbols: state.symbols, initialized: state.initialized, add, remove, replace };
}
