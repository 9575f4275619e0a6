import { useEffect, useState, useSyncExternalStore } from 'react';
import { appConfig } from '../config/appConfig';
import { getWebSocketService, transportChoice } from '../services';
import { feedStatus } from '../services/feedStatus';
import { ConnectionState, type WireFormat } from '../services/WebSocketService';
import { useConnectionSnapshot } from './useConnectionSnapshot';

export interface PageConnectionStatus {
  isConnected: boolean;
  isRealTime: boolean;
  connectionState: ConnectionState;
  lastUpdate: Date | null;
  latency: number;
  reconnectAttempts: number;
  pollingHealthy: boolean | undefined;
  online: boolean;
  pollingInterval: number;
  /** Median feed delay (source ingest to this browser) of recent updates, ms; null without data. */
  feedDelay: number | null;
  /** No HTTP result yet on a polling page. */
  pending: boolean;
  /** What the open socket's handshake chose; null when not connected. */
  wireFormat: WireFormat | null;
}

/** What the page-level status indicator shows: the socket, the HTTP path and the browser's network. */
export function useConnectionStatus(): PageConnectionStatus {
  const wsEnabled = transportChoice().useWebSocket;
  const service = wsEnabled ? getWebSocketService() : null;
  const conn = useConnectionSnapshot(service);
  const feed = useSyncExternalStore(feedStatus.subscribe, feedStatus.getSnapshot);
  const [online, setOnline] = useState(() => (typeof navigator === 'undefined' ? true : navigator.onLine !== false));
  const [lastWsData, setLastWsData] = useState<number | null>(null);

  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);

  useEffect(() => {
    if (!service) return undefined;
    let last = 0;
    return service.onMessage((m) => {
      // At most one re-render per second of the page for the "last update" figure.
      if ((m.type === 'price_update' || m.type === 'batch_update') && Date.now() - last >= 1000) {
        last = Date.now();
        setLastWsData(last);
      }
    });
  }, [service]);

  const isRealTime = wsEnabled && !conn.pollingFallback;
  const last = Math.max(lastWsData ?? 0, isRealTime ? 0 : (feed.lastPollSuccess ?? 0));
  return {
    isConnected: conn.isConnected,
    isRealTime,
    connectionState: wsEnabled ? conn.connectionState : ConnectionState.CLOSED,
    lastUpdate: last > 0 ? new Date(last) : null,
    latency: conn.latency,
    reconnectAttempts: conn.reconnectAttempts,
    pollingHealthy: feed.lastPollSuccess == null && feed.lastPollFailure == null ? undefined : !feed.httpFailing,
    online,
    pollingInterval: appConfig().pollingInterval,
    pending: !isRealTime && feed.lastPollSuccess == null && feed.lastPollFailure == null,
    feedDelay: service && conn.isConnected ? feedDelayOf(service.getMetrics().dataLatency) : null,
    wireFormat: service && conn.isConnected ? service.getMetrics().wireFormat : null,
  };
}

function feedDelayOf(d: { count: number; p50: number }): number | null {
  return d.count > 0 ? d.p50 : null;
}
