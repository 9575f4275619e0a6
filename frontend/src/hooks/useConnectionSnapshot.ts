import { useEffect, useState } from 'react';
import { ConnectionState, type WebSocketService } from '../services/WebSocketService';

export interface ConnectionSnapshot {
  connectionState: ConnectionState;
  isConnected: boolean;
  pollingFallback: boolean;
  latency: number;
  reconnectAttempts: number;
  nextRetryAt: Date | null;
}

function read(service: WebSocketService | null, nextRetryAt: Date | null): ConnectionSnapshot {
  if (!service) {
    return {
      connectionState: ConnectionState.CLOSED,
      isConnected: false,
      pollingFallback: false,
      latency: 0,
      reconnectAttempts: 0,
      nextRetryAt: null,
    };
  }
  const m = service.getMetrics();
  return {
    connectionState: service.getConnectionState(),
    isConnected: service.isConnected(),
    pollingFallback: service.isPollingFallback(),
    latency: service.getLatency(),
    reconnectAttempts: m.reconnectAttempts,
    nextRetryAt,
  };
}

function same(a: ConnectionSnapshot, b: ConnectionSnapshot): boolean {
  return (
    a.connectionState === b.connectionState &&
    a.isConnected === b.isConnected &&
    a.pollingFallback === b.pollingFallback &&
    a.latency === b.latency &&
    a.reconnectAttempts === b.reconnectAttempts &&
    a.nextRetryAt?.getTime() === b.nextRetryAt?.getTime()
  );
}

/** The service's connection state as React state: re-renders on state changes and new latency. */
export function useConnectionSnapshot(service: WebSocketService | null): ConnectionSnapshot {
  const [snapshot, setSnapshot] = useState(() => read(service, null));
  useEffect(() => {
    if (!service) return undefined;
    let nextRetryAt: Date | null = null;
    const refresh = () => setSnapshot((prev) => {
      const next = read(service, nextRetryAt);
      return same(prev, next) ? prev : next;
    });
    refresh();
    const offState = service.onConnectionChange((_state, change) => {
      nextRetryAt = change.nextRetryAt;
      refresh();
    });
    const offMessage = service.onMessage((message) => {
      if (message.type === 'pong') refresh();
    });
    return () => {
      offState();
      offMessage();
    };
  }, [service]);
  return snapshot;
}
