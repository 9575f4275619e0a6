import { useEffect, useRef, useState } from 'react';
import { formatAge } from '../hooks/useNow';
import { useRealTimeStock } from '../hooks/useRealTimeStock';
import { isConnectivityError } from '../services/quoteApi';
import type { StockQuote } from '../types/messages';
import { AlertControl } from './AlertControl';
import { Sparkline } from './Sparkline';
import { direction, formatChange, formatPercent, formatPrice, formatVolume } from './format';

const HISTORY = 60;
const FLASH_MS = 900;

export interface WatchlistRowProps {
  symbol: string;
  now: number;
  onRemove: (symbol: string) => void;
}

/** One symbol: live price, change, volume, day range, age of the data, sparkline, remove. */
export function WatchlistRow({ symbol, now, onRemove }: WatchlistRowProps) {
  const [history, setHistory] = useState<number[]>([]);
  const [flash, setFlash] = useState<{ dir: 'up' | 'down'; parity: 0 | 1 } | null>(null);
  const parity = useRef<0 | 1>(0);
  const lastPrice = useRef<number | null>(null);

  const onUpdate = (q: StockQuote) => {
    const prev = lastPrice.current;
    lastPrice.current = q.price;
    setHistory((h) => (h.length >= HISTORY ? [...h.slice(h.length - HISTORY + 1), q.price] : [...h, q.price]));
    if (prev != null && q.price !== prev) {
      // Two identical animations under two names: switching restarts it on back-to-back ticks.
      parity.current = parity.current === 0 ? 1 : 0;
      setFlash({ dir: q.price > prev ? 'up' : 'down', parity: parity.current });
    }
  };
  const { data, loading, error, lastUpdate, source, isRealTime } = useRealTimeStock({ symbol, onUpdate });

  useEffect(() => {
    if (!flash) return undefined;
    const timer = setTimeout(() => setFlash(null), FLASH_MS);
    return () => clearTimeout(timer);
  }, [flash]);

  // Lost connectivity is the status indicator's to show, once; a row shows what concerns its symbol.
  const rowError = error && !isConnectivityError(error) ? error : null;
  const dir = direction(data?.change);
  const stale = lastUpdate ? now - lastUpdate.getTime() : null;
  return (
    <tr
      className={`quote-row${flash ? ` flash-${flash.dir}-${flash.parity}` : ''}`}
      data-flash={flash?.dir ?? ''}
      data-testid={`quote-row-${symbol}`}
      data-symbol={symbol}
      data-seq={data?.seq ?? ''}
      data-source={source ?? ''}
      data-realtime={String(isRealTime)}
      data-updated-at={lastUpdate ? lastUpdate.getTime() : ''}
      aria-busy={loading}
    >
      <th scope="row" className="col-symbol">
        <span className="symbol">{symbol}</span>
        {rowError && (
          <span className="row-error" role="alert" data-testid={`error-${symbol}`}>
            {rowError.message}
          </span>
        )}
      </th>
      <td className="col-price num" data-testid={`price-${symbol}`} data-price={data?.price ?? ''}>
        {loading && !data ? <span className="placeholder">Loading…</span> : formatPrice(data?.price)}
      </td>
      <td className={`col-change num narrow-hide ${dir}`} data-testid={`change-${symbol}`}>
        <span aria-hidden="true">{dir === 'up' ? '▲ ' : dir === 'down' ? '▼ ' : ''}</span>
        {formatChange(data?.change)}
      </td>
      <td className={`col-change-percent num ${direction(data?.changePercent ?? data?.change)}`} data-testid={`change-percent-${symbol}`}>
        {formatPercent(data?.changePercent)}
      </td>
      <td className="col-volume num optional" data-testid={`volume-${symbol}`}>
        {formatVolume(data?.volume)}
      </td>
      <td className="col-range num optional" data-testid={`range-${symbol}`}>
        <span className="range-low" data-testid={`low-${symbol}`}>{formatPrice(data?.low)}</span>
        <span className="range-sep" aria-label="to"> – </span>
        <span className="range-high" data-testid={`high-${symbol}`}>{formatPrice(data?.high)}</span>
      </td>
      <td className={`col-age phone-hide${stale != null && stale > 60_000 ? ' stale' : ''}`} data-testid={`age-${symbol}`}>
        <time dateTime={lastUpdate?.toISOString()}>{formatAge(lastUpdate, now)}</time>
      </td>
      <td className="col-trend optional">
        <Sparkline values={history} label={`${symbol} price trend`} />
      </td>
      <td className="col-actions">
        <AlertControl symbol={symbol} />
        <button
          type="button"
          className="remove-button"
          data-testid={`remove-${symbol}`}
          aria-label={`Remove ${symbol} from watchlist`}
          onClick={() => onRemove(symbol)}
        >
          ×
        </button>
      </td>
    </tr>
  );
}
