import { useId, useMemo, useState } from 'react';
import type { SymbolInfo } from '../services/quoteApi';
import { normalizeSymbol } from '../types/messages';
import type { AddResult } from '../watchlist/useWatchlist';
import { formatPrice } from './format';

export interface SymbolSearchProps {
  symbols: SymbolInfo[];
  exclude: string[];
  onAdd: (symbol: string) => AddResult;
  loadError?: string | null;
}

const MAX_OPTIONS = 8;

/** A combobox (WAI-ARIA 1.2 pattern): type, arrows to choose, Enter to add, Escape to close. */
export function SymbolSearch({ symbols, exclude, onAdd, loadError }: SymbolSearchProps) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [feedback, setFeedback] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const baseId = useId();
  const listId = `${baseId}-list`;

  const options = useMemo(() => {
    const q = query.trim().toUpperCase();
    const excluded = new Set(exclude);
    const candidates = symbols.filter((s) => !excluded.has(s.symbol));
    if (!q) return candidates.slice(0, MAX_OPTIONS);
    const prefix = candidates.filter((s) => s.symbol.startsWith(q));
    const contains = candidates.filter(
      (s) => !s.symbol.startsWith(q) && (s.symbol.includes(q) || (s.name ?? '').toUpperCase().includes(q)),
    );
    return [...prefix, ...contains].slice(0, MAX_OPTIONS);
  }, [query, symbols, exclude]);

  const submit = (raw: string) => {
    const symbol = normalizeSymbol(raw);
    if (!symbol) {
      setFeedback({ text: raw.trim() ? `"${raw.trim()}" is not a valid symbol` : 'Type a symbol to add', kind: 'error' });
      return;
    }
    const result = onAdd(symbol);
    const messages: Record<AddResult, { text: string; kind: 'ok' | 'error' }> = {
      added: { text: `${symbol} added to the watchlist`, kind: 'ok' },
      duplicate: { text: `${symbol} is already in the watchlist`, kind: 'error' },
      invalid: { text: `"${symbol}" is not a valid symbol`, kind: 'error' },
      full: { text: 'The watchlist is full: remove a symbol first', kind: 'error' },
    };
    setFeedback(messages[result]);
    if (result === 'added') {
      setQuery('');
      setOpen(false);
      setActive(-1);
    }
  };

  const showList = open && options.length > 0;
  return (
    <form
      className="symbol-search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submit(showList && active >= 0 ? options[active].symbol : query);
      }}
    >
      <label htmlFor={`${baseId}-input`} className="search-label">
        Add a symbol
      </label>
      <div className="search-row">
        <div className="combobox">
          <input
            id={`${baseId}-input`}
            data-testid="symbol-search"
            type="text"
            role="combobox"
            autoComplete="off"
            spellCheck={false}
            placeholder="e.g. AAPL"
            aria-autocomplete="list"
            aria-expanded={showList}
            aria-controls={listId}
            aria-activedescendant={showList && active >= 0 ? `${baseId}-opt-${active}` : undefined}
            value={query}
            onChange={(e) => {
              setQuery(e.target.value);
              setOpen(true);
              setActive(-1);
            }}
            onFocus={() => setOpen(true)}
            onBlur={() => setTimeout(() => setOpen(false), 150)}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setOpen(true);
                setActive((a) => (options.length ? (a + 1) % options.length : -1));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((a) => (options.length ? (a <= 0 ? options.length - 1 : a - 1) : -1));
              } else if (e.key === 'Escape') {
                setOpen(false);
                setActive(-1);
              }
            }}
          />
          <ul id={listId} role="listbox" aria-label="Matching symbols" className="search-options" hidden={!showList}>
            {options.map((o, i) => (
              <li
                key={o.symbol}
                id={`${baseId}-opt-${i}`}
                role="option"
                aria-selected={i === active}
                data-testid={`symbol-option-${o.symbol}`}
                className={i === active ? 'active' : undefined}
                onMouseDown={(e) => {
                  e.preventDefault();
                  submit(o.symbol);
                }}
              >
                <span className="option-symbol">{o.symbol}</span>
                {o.name && <span className="option-name">{o.name}</span>}
                {o.price != null && <span className="option-price">{formatPrice(o.price)}</span>}
              </li>
            ))}
          </ul>
        </div>
        <button type="submit" className="add-button" data-testid="add-symbol">
          Add
        </button>
      </div>
      <p className={`search-feedback ${feedback?.kind ?? ''}`} role="status" aria-live="polite" data-testid="search-feedback">
        {feedback?.text ?? (loadError ? `Symbol list unavailable (${loadError}); you can still type a symbol.` : '')}
      </p>
    </form>
  );
}
