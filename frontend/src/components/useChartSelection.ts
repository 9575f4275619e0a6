import { type MouseEvent, useCallback, useState } from 'react';

/**
 * Which watchlist row's intraday chart is open. A click anywhere on a row selects it (its buttons keep their own
 * meaning), so the row component needs no change; a symbol that leaves the watchlist closes its chart.
 */
export function useChartSelection(symbols: string[]) {
  const [selected, setSelected] = useState<string | null>(null);
  const onRowClick = useCallback((e: MouseEvent<HTMLElement>) => {
    const target = e.target as HTMLElement;
    if (target.closest('button, a, input, select')) return;
    const symbol = target.closest('tr')?.getAttribute('data-symbol');
    if (symbol) setSelected(symbol);
  }, []);
  const close = useCallback(() => setSelected(null), []);
  return { selected: selected && symbols.includes(selected) ? selected : null, onRowClick, close };
}
