/** The seed's configuration; the fields after the first seven are optional extensions. */
export interface WebSocketConfig {
  url: string;
  /** Base interval for exponential backoff, ms (first retry after this long). */
  reconnectInterval: number;
  /** Failed reconnection attempts after which the service reports polling mode (it keeps retrying). */
  maxReconnectAttempts: number;
  /** Client ping interval, ms. */
  heartbeatInterval: number;
  /** Max buffered outgoing messages while not connected; the oldest is dropped beyond it. */
  messageQueueSize: number;
  /**
   * Browsers negotiate permessage-deflate by themselves and give scripts no switch for it; the edge
   * decides (it is configurable there). Kept for the seed's interface and reported in metrics.
   */
  enableCompression: boolean;
  enableAutoReconnect: boolean;
  /** Cap of the backoff before jitter, ms (seed: 30 s). */
  maxReconnectDelay?: number;
  /** Jitter fraction applied after the cap: 0.2 spreads a delay d over [0.8 d, 1.2 d]. */
  reconnectJitter?: number;
  /** No frame at all for this long means the connection is dead, ms (default 2 x heartbeatInterval). */
  heartbeatTimeout?: number;
  /** Symbols per subscribe/unsubscribe frame (the edge caps symbols per message). */
  maxSymbolsPerMessage?: number;
  /** WebSocket subprotocols to offer, e.g. ["stocktracker.v1.json"]. None by default. */
  protocols?: string[];
  /**
   * A bearer token for an edge with AUTH_MODE=jwt, or a function read at every (re)connection so a
   * refreshed token is used. Browsers cannot set headers on a WebSocket, so it travels as a
   * `bearer.<token>` subprotocol entry next to `stocktracker.v1.json` (the one the edge selects).
   */
  authToken?: string | (() => string | null | undefined);
  /**
   * 'msgpack' offers `stocktracker.v1.msgpack, stocktracker.v1.json` and, when the edge picks
   * MessagePack, exchanges binary frames both ways; an edge that picks JSON (or speaks only JSON)
   * gets JSON text. Decoded messages are the same objects either way. Default 'json'.
   */
  wireFormat?: WireFormat;
  /**
   * How long after the socket opens the edge's `connected` greeting may take, ms (default 5000). The
   * edge refuses a connection (no or expired token, connection caps) by accepting the upgrade, sending
   * an `error` and closing, so an open socket is not yet a connection: without `connected` in time the
   * socket is closed and the attempt counts as failed. 0 disables the limit.
   */
  handshakeTimeout?: number;
}

export type WireFormat = 'json' | 'msgpack';

export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;

export function defaultWebSocketUrl(): string {
  if (typeof location === 'undefined' || !location.host) return 'ws://localhost:8081/ws';
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

export const DEFAULT_WEBSOCKET_CONFIG: Readonly<Omit<WebSocketConfig, 'url'>> = Object.freeze({
  reconnectInterval: 1000,
  maxReconnectAttempts: 10,
  heartbeatInterval: 15_000,
  messageQueueSize: 100,
  enableCompression: true,
  enableAutoReconnect: true,
  maxReconnectDelay: 30_000,
  reconnectJitter: 0.2,
  maxSymbolsPerMessage: 50,
  wireFormat: 'json',
  handshakeTimeout: DEFAULT_HANDSHAKE_TIMEOUT_MS,
});

/** Defaults under what the caller gave (undefined means "not given"), checked all at once. */
export function resolveConfig(config: Partial<WebSocketConfig>): Readonly<WebSocketConfig> {
  const merged: WebSocketConfig = { ...DEFAULT_WEBSOCKET_CONFIG, url: defaultWebSocketUrl(), ...stripUndefined(config) };
  validateConfig(merged);
  return Object.freeze(merged);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function validateConfig(c: WebSocketConfig): void {
  const problems: string[] = [];
  if (!/^wss?:\/\//.test(c.url)) problems.push(`url must start with ws:// or wss://, got "${c.url}"`);
  if (!(c.reconnectInterval > 0)) problems.push(`reconnectInterval must be > 0 ms, got ${c.reconnectInterval}`);
  if (!(c.maxReconnectAttempts >= 1)) problems.push(`maxReconnectAttempts must be >= 1, got ${c.maxReconnectAttempts}`);
  if (!(c.heartbeatInterval >= 0)) problems.push(`heartbeatInterval must be >= 0 ms, got ${c.heartbeatInterval}`);
  if (!(c.messageQueueSize >= 0)) problems.push(`messageQueueSize must be >= 0, got ${c.messageQueueSize}`);
  if (c.wireFormat != null && c.wireFormat !== 'json' && c.wireFormat !== 'msgpack') {
    problems.push(`wireFormat must be "json" or "msgpack", got "${String(c.wireFormat)}"`);
  }
  if (c.handshakeTimeout != null && !(c.handshakeTimeout >= 0)) {
    problems.push(`handshakeTimeout must be >= 0 ms, got ${c.handshakeTimeout}`);
  }
  if (c.reconnectJitter != null && !(c.reconnectJitter >= 0 && c.reconnectJitter <= 1)) {
    problems.push(`reconnectJitter must be within [0, 1], got ${c.reconnectJitter}`);
  }
  if (problems.length) throw new Error(`invalid WebSocketConfig: ${problems.join('; ')}`);
}
