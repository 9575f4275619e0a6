import type { BarMessage } from '../types/generated/messages';
import { getJson } from './quoteApi';

/** One closed 1-minute bar, as `GET /api/bars/{symbol}` and `bar_update` carry it (generated from bar.json). */
export type Bar = BarMessage;

export interface BarsResponse {
  symbol: string;
  from: string;
  to: string;
  /** false for a few seconds after an edge starts, while it still reads the session's bars */
  complete: boolean;
  bars: Bar[];
}

/** GET /api/bars/{symbol}: today's session (the edge's default range). */
export function fetchBars(symbol: string, signal?: AbortSignal): Promise<BarsResponse> {
  return getJson<BarsResponse>(`/api/bars/${encodeURIComponent(symbol)}`, signal);
}
