import { appConfig } from '../config/appConfig';
import { chooseTransport, rolloutBucket, type TransportChoice } from '../config/rollout';
import { readAuthToken } from './authToken';
import { WebSocketService } from './WebSocketService';

/** The tab's WebSocketService, configured from appConfig() on first use. */
export function getWebSocketService(): WebSocketService {
  if (!WebSocketService.hasInstance()) {
    const c = appConfig();
    WebSocketService.getInstance({
      url: c.wsUrl,
      reconnectInterval: c.reconnectInterval,
      maxReconnectAttempts: c.maxReconnectAttempts,
      maxReconnectDelay: c.maxReconnectDelay,
      heartbeatInterval: c.heartbeatInterval,
      handshakeTimeout: c.handshakeTimeout,
      messageQueueSize: c.messageQueueSize,
      wireFormat: c.wireFormat,
      authToken: readAuthToken,
    });
  }
  return WebSocketService.getInstance();
}

export { AUTH_TOKEN_KEY } from './authToken';

let transport: TransportChoice | null = null;

/** WebSocket or polling for this page: enableWebSocket, the rollout bucket, or a URL override. */
export function transportChoice(): TransportChoice {
  if (!transport) {
    const c = appConfig();
    let storage: Storage | null = null;
    try {
      storage = typeof localStorage !== 'undefined' ? localStorage : null;
    } catch {
      storage = null;
    }
    transport = chooseTransport(c.enableWebSocket, c.rolloutPercent, rolloutBucket(storage));
  }
  return transport;
}

/** Tests only. */
export function resetTransportChoice(): void {
  transport = null;
}

declare global {
  interface Window {
    /** Support handle: `__stocktracker.metrics()` in the browser console. */
    __stocktracker?: { metrics: () => unknown; transport: () => TransportChoice };
  }
}

export function exposeForSupport(): void {
  if (typeof window === 'undefined') return;
  window.__stocktracker = {
    metrics: () => (transportChoice().useWebSocket ? getWebSocketService().getMetrics() : null),
    transport: () => transportChoice(),
  };
}
