import { useCallback, useEffect, useRef, useState } from 'react';
import { appConfig } from '../config/appConfig';
import { getWebSocketService, transportChoice } from '../services';
import { pollingCoordinator } from '../services/PollingCoordinator';
import { fetchQuote } from '../services/quoteApi';
import { ConnectionState } from '../services/WebSocketService';
import { isNewer, normalizeSymbol, quotesOf, type StockQuote } from '../types/messages';
import { useConnectionSnapshot } from './useConnectionSnapshot';

const SNAPSHOT_TIMEOUT_MS = 5000;

export interface UseRealTimeStockOptions {
  symbol: string;
  /** Default: the page's transport choice (VITE_ENABLE_WEBSOCKET, /config.js, rollout bucket). */
  enableWebSocket?: boolean;
  /** Default: true (VITE_FALLBACK_TO_POLLING / config.js). */
  fallbackToPolling?: boolean;
  /** Default: 30000 ms. */
  pollingInterval?: number;
  onUpdate?: (data: StockQuote) => void;
  onError?: (error: Error) => void;
}

export interface UseRealTimeStockReturn {
  data: StockQuote | null;
  loading: boolean;
  error: Error | null;
  /** True while the data comes over WebSocket (including while it reconnects, before the fallback). */
  isRealTime: boolean;
  isConnected: boolean;
  connectionState: ConnectionState;
  lastUpdate: Date | null;
  /** WebSocket round trip, ms. */
  latency: number;
  refetch: () => Promise<void>;
  // Extensions.
  /** Where the current data came from. */
  source: 'ws' | 'poll' | null;
  /** True while this hook polls the REST API. */
  isPolling: boolean;
  reconnectAttempts: number;
}

/**
 * One symbol's live quote. Subscribes on mount and unsubscribes on unmount (the service counts
 * references, so a symbol shown twice stays subscribed until both go). Polls GET /api/quotes/{symbol}
 * every pollingInterval while WebSocket is disabled or has failed maxReconnectAttempts times, and
 * goes back to real time as soon as the socket is open again.
 */
export function useRealTimeStock(options: UseRealTimeStockOptions): UseRealTimeStockReturn {
  const config = appConfig();
  const symbol = normalizeSymbol(options.symbol) ?? options.symbol.trim().toUpperCase();
  const wsEnabled = options.enableWebSocket ?? transportChoice().useWebSocket;
  const fallbackToPolling = options.fallbackToPolling ?? config.fallbackToPolling;
  const pollingInterval = options.pollingInterval ?? config.pollingInterval;

  const service = wsEnabled ? getWebSocketService() : null;
  const conn = useConnectionSnapshot(service);

  const [data, setData] = useState<StockQuote | null>(() => service?.getLastQuote(symbol) ?? null);
  const [error, setError] = useState<Error | null>(null);
  const [loading, setLoading] = useState<boolean>(() => !(service?.getLastQuote(symbol)));
  const [lastUpdate, setLastUpdate] = useState<Date | null>(() => (service?.getLastQuote(symbol) ? new Date() : null));
  const [source, setSource] = useState<'ws' | 'poll' | null>(() => (service?.getLastQuote(symbol) ? 'ws' : null));

  const dataRef = useRef<StockQuote | null>(data);
  const onUpdateRef = useRef(options.onUpdate);
  const onErrorRef = useRef(options.onError);
  onUpdateRef.current = options.onUpdate;
  onErrorRef.current = options.onError;

  const apply = useCallback((quote: StockQuote, from: 'ws' | 'poll') => {
    if (!isNewer(dataRef.current, quote)) {
      // Same or older data: still proves the feed is alive.
      setLastUpdate(new Date());
      return;
    }
    dataRef.current = quote;
    setData(quote);
    setSource(from);
    setLastUpdate(new Date());
    setLoading(false);
    setError(null);
    onUpdateRef.current?.(quote);
  }, []);

  const fail = useCallback((e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    setError(err);
    setLoading(false);
    onErrorRef.current?.(err);
  }, []);

  // A symbol change starts from scratch.
  const symbolRef = useRef(symbol);
  if (symbolRef.current !== symbol) {
    symbolRef.current = symbol;
    const cached = service?.getLastQuote(symbol) ?? null;
    dataRef.current = cached;
    setData(cached);
    setSource(cached ? 'ws' : null);
    setLoading(!cached);
    setError(null);
  }

  const refetch = useCallback(async () => {
    try {
      apply(await fetchQuote(symbol), 'poll');
    } catch (e) {
      if ((e as Error)?.name !== 'AbortError') fail(e);
    }
  }, [symbol, apply, fail]);

  // Real-time path.
  useEffect(() => {
    if (!service) return undefined;
    service.subscribe([symbol]);
    const cached = service.getLastQuote(symbol);
    if (cached) apply(cached, 'ws');
    const offMessage = service.onMessage((message) => {
      for (const quote of quotesOf(message)) {
        if (quote.symbol === symbol) apply(quote, 'ws');
      }
    });
    const offError = service.onError((e) => {
      if (e.symbol === symbol) fail(e);
    });
    // Not connected yet: fetch once over HTTP so the row is not blank while the socket comes up.
    if (!service.isConnected() && !cached) void refetch();
    return () => {
      offMessage();
      offError();
      service.unsubscribe([symbol]);
    };
  }, [service, symbol, apply, fail, refetch]);

  // Subscribed but nothing came (an unknown symbol, a lost snapshot): ask over HTTP once.
  const hasData = data != null;
  useEffect(() => {
    if (!service || hasData) return undefined;
    const timer = setTimeout(() => void refetch(), SNAPSHOT_TIMEOUT_MS);
    return () => clearTimeout(timer);
  }, [service, hasData, refetch]);

  const isRealTime = wsEnabled && !conn.pollingFallback;
  const isPolling = fallbackToPolling && !isRealTime && pollingInterval > 0;

  // Polling path: while WebSocket is off or has failed. One shared loop per interval batches every row.
  useEffect(() => {
    if (!isPolling) return undefined;
    return pollingCoordinator.register(symbol, pollingInterval, (result) => {
      if ('quote' in result) apply(result.quote, 'poll');
      else fail(result.error);
    });
  }, [isPolling, pollingInterval, symbol, apply, fail]);

  // Without any path at all (WebSocket off, polling off), fetch once so there is something to show.
  useEffect(() => {
    if (!wsEnabled && !fallbackToPolling) void refetch();
  }, [wsEnabled, fallbackToPolling, refetch]);

  return {
    data,
    loading,
    error,
    isRealTime,
    isConnected: conn.isConnected,
    connectionState: wsEnabled ? conn.connectionState : ConnectionState.CLOSED,
    lastUpdate,
    latency: conn.latency,
    refetch,
    source,
    isPolling,
    reconnectAttempts: conn.reconnectAttempts,
  };
}
