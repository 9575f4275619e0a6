import { appConfig } from '../config/appConfig';
import { chooseTransport, rolloutBucket, type TransportChoice } from '../config/rollout';
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
      messageQueueSize: c.messageQueueSize,
    });
  }
  return WebSocketService.getInstance();
}

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
