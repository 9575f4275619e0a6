import { decode as decodeMsgpack, encode as encodeMsgpack } from '@msgpack/msgpack';
import { BoundedQueue } from './BoundedQueue';
import { reconnectDelay, type BackoffPolicy } from './backoff';
import type { ClientMessage, ErrorMessage, ServerMessage, StockQuote } from '../types/messages';
import { quotesOf } from '../types/messages';

/** The seed's connection states. String values so metrics and data attributes read naturally. */
export enum ConnectionState {
  CONNECTING = 'CONNECTING',
  OPEN = 'OPEN',
  CLOSING = 'CLOSING',
  CLOSED = 'CLOSED',
  RECONNECTING = 'RECONNECTING',
}

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

export const JSON_SUBPROTOCOL = 'stocktracker.v1.json';
export const MSGPACK_SUBPROTOCOL = 'stocktracker.v1.msgpack';
export const BEARER_PROTOCOL_PREFIX = 'bearer.';

/** The seed's metrics, plus extensions after `activeSubscriptions`. */
export interface ConnectionMetrics {
  connectionState: 'CONNECTING' | 'OPEN' | 'CLOSING' | 'CLOSED' | 'RECONNECTING';
  connectedAt: Date | null;
  lastMessageAt: Date | null;
  messageCount: number;
  errorCount: number;
  reconnectAttempts: number;
  averageLatency: number;
  activeSubscriptions: number;
  /** Latest round trip, ms (same as getLatency()). */
  latency: number;
  /** True after maxReconnectAttempts failed attempts: consumers should poll until the socket is back. */
  pollingFallback: boolean;
  queuedMessages: number;
  droppedMessages: number;
  /**
   * Connections the edge accepted (its `connected` greeting) over the service's life: 1 + reconnects
   * that succeeded. A socket the edge opened only to refuse it does not count.
   */
  connectionCount: number;
  clientId: string | null;
  edgeId: string | null;
  compressionRequested: boolean;
  /**
   * Feed delay of the last updates, ms: browser receive time minus the quote's ingestedAt (when the
   * ingest connector took it from the source). Meaningful when clocks agree (same host, or NTP).
   */
  dataLatency: { count: number; average: number; p50: number; p95: number; max: number };
  /** What the current (or last) handshake chose: 'msgpack' only when the edge selected it. */
  wireFormat: WireFormat | null;
  /** Binary (MessagePack) frames received over the service's life. */
  binaryFrames: number;
  /** When the connection's token expires, as announced by `token_expiring` / `token_refreshed`. */
  tokenExpiresAt: Date | null;
  /** Successful token refreshes (`token_refreshed`) over the service's life. */
  tokenRefreshes: number;
}

export type ErrorCategory = 'CONNECTION' | 'MESSAGE' | 'DATA';

/** What onError handlers receive: a connection failure, or an error frame from the edge. */
export class WebSocketServiceError extends Error {
  constructor(
    message: string,
    readonly category: ErrorCategory,
    readonly code?: string,
    readonly symbol?: string,
  ) {
    super(message);
    this.name = 'WebSocketServiceError';
  }
}

export interface ConnectionChange {
  previous: ConnectionState;
  reconnectAttempts: number;
  pollingFallback: boolean;
  /** When the next reconnection attempt is due, while RECONNECTING. */
  nextRetryAt: Date | null;
}

export type MessageHandler = (message: ServerMessage) => void;
export type ErrorHandler = (error: WebSocketServiceError) => void;
export type ConnectionHandler = (state: ConnectionState, change: ConnectionChange) => void;
export type UnsubscribeFn = () => void;

/** What the service needs of a socket: the browser WebSocket fits, and so does a test fake. */
export interface WebSocketLike {
  readonly readyState: number;
  /** The subprotocol the handshake selected ('' for none). */
  readonly protocol?: string;
  binaryType?: string;
  onopen: ((ev: Event) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  send(data: string | Uint8Array<ArrayBuffer>): void;
  close(code?: number, reason?: string): void;
}

export interface WebSocketServiceDeps {
  createSocket?: (url: string, protocols?: string[]) => WebSocketLike;
  /** Source of jitter, [0, 1). */
  random?: () => number;
  /** Where `online` is fired (window) and where `visibilitychange` is fired (document). */
  windowTarget?: EventTarget | null;
  documentTarget?: (EventTarget & { visibilityState?: string }) | null;
}

export interface SubscriptionMetadata {
  symbol: string;
  /** Components holding this symbol; the server is told on 0 -> 1 and 1 -> 0 only. */
  refCount: number;
  subscribedAt: Date;
  status: 'pending' | 'active' | 'rejected';
  rejection?: { code: string; reason?: string };
  /** Highest seq received: sent as `since` on resubscribe so the edge sends only what is newer. */
  lastSeq: number | null;
  lastQuote: StockQuote | null;
  lastUpdate: Date | null;
}

const OPEN_READY_STATE = 1;
/** Close codes a client may send: 1000 or 3000-4999. 4000 = heartbeat timeout (CloseCode table). */
const CLOSE_NORMAL = 1000;
const CLOSE_HEARTBEAT_TIMEOUT = 4000;
const CLOSE_UNAUTHORIZED = 4001;
/** The edge closes a socket that held no subscription for IDLE_UNSUBSCRIBED_TIMEOUT_MS. */
const CLOSE_IDLE_UNSUBSCRIBED = 4009;
/** A client-chosen code (4000-4999, not in the edge's CloseCode table): no `connected` after open. */
const CLOSE_HANDSHAKE_TIMEOUT = 4002;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 5000;
/** Rejections worth retrying on the next connection; the rest would be rejected again. */
const PERMANENT_REJECTIONS = new Set(['INVALID_SYMBOL', 'FORBIDDEN_SYMBOL']);
const LATENCY_SAMPLES = 20;
const DATA_LATENCY_SAMPLES = 500;
/** The edge's close codes (io.stocktracker.schemas.contract.CloseCode) that tell the user something. */
const CLOSE_CODE_NAMES: Record<number, string> = {
  1001: 'GOING_AWAY',
  1008: 'POLICY_VIOLATION',
  1009: 'MESSAGE_TOO_BIG',
  1011: 'INTERNAL_ERROR',
  1013: 'TRY_AGAIN_LATER',
  4000: 'HEARTBEAT_TIMEOUT',
  4001: 'UNAUTHORIZED',
  4008: 'SLOW_CONSUMER',
  4009: 'IDLE_UNSUBSCRIBED',
};
/** Unreadable frames within this window trigger one resync, not one each. */
const RESYNC_DEBOUNCE_MS = 1000;
/** How often the authToken provider is read again after `token_expiring` found no new token. */
const REFRESH_RETRY_MS = 5000;

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

/**
 * One WebSocket per browser tab, shared by every component (hence the singleton): connection
 * lifecycle, reconnection with jittered backoff, reference-counted subscriptions that are resumed
 * with `since` after every reconnect, an offline queue, heartbeat and latency, metrics.
 *
 * Subscriptions are desired state, not queued messages: while offline, subscribe/unsubscribe only
 * change the map, and each (re)connection sends one subscribe for everything still wanted. The
 * bounded queue carries other messages given to send() while not connected.
 */
export class WebSocketService {
  private static instance: WebSocketService | null = null;

  /** The tab's service; the config is used only by the first call. */
  static getInstance(config?: Partial<WebSocketConfig>, deps?: WebSocketServiceDeps): WebSocketService {
    if (!WebSocketService.instance) WebSocketService.instance = new WebSocketService(config, deps);
    return WebSocketService.instance;
  }

  static hasInstance(): boolean {
    return WebSocketService.instance !== null;
  }

  /** Replaces the tab's service (tests, or a config change): the old one is disposed. */
  static setInstance(service: WebSocketService | null): void {
    if (WebSocketService.instance && WebSocketService.instance !== service) WebSocketService.instance.dispose();
    WebSocketService.instance = service;
  }

  readonly config: Readonly<WebSocketConfig>;
  private readonly backoff: BackoffPolicy;
  private readonly createSocket: (url: string, protocols?: string[]) => WebSocketLike;
  private readonly random: () => number;
  private readonly windowTarget: EventTarget | null;
  private readonly documentTarget: (EventTarget & { visibilityState?: string }) | null;

  private socket: WebSocketLike | null = null;
  private state: ConnectionState = ConnectionState.CLOSED;
  private manuallyClosed = false;
  private disposed = false;
  private listening = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private nextRetryAt: Date | null = null;
  private heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  /** Running between the socket's open and the edge's `connected`. */
  private handshakeTimer: ReturnType<typeof setTimeout> | null = null;
  private flushScheduled = false;

  private readonly subscriptions = new Map<string, SubscriptionMetadata>();
  /** What the server holds for this connection: reconciled against `subscriptions`. */
  private serverSymbols = new Set<string>();
  private readonly queue: BoundedQueue<ClientMessage>;

  private readonly messageHandlers = new Set<MessageHandler>();
  private readonly errorHandlers = new Set<ErrorHandler>();
  private readonly connectionHandlers = new Set<ConnectionHandler>();

  private reconnectAttempts = 0;
  private pollingFallback = false;
  private connectedAt: Date | null = null;
  private lastMessageAt: Date | null = null;
  private lastActivityMs = 0;
  private messageCount = 0;
  private errorCount = 0;
  private connectionCount = 0;
  private latency = 0;
  private latencySamples: number[] = [];
  private dataLatencySamples: number[] = [];
  private lastPingSentMs = 0;
  private clientId: string | null = null;
  private edgeId: string | null = null;
  private lastClose: { code: number; reason: string } | null = null;
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;
  /** Negotiated for the open socket; outgoing frames are encoded accordingly. */
  private wireFormat: WireFormat | null = null;
  private binaryFrames = 0;
  /** The token the current socket authenticated with, then the last one the edge confirmed. */
  private tokenInUse: string | null = null;
  /** A refresh sent and not yet answered. */
  private pendingRefresh: string | null = null;
  /** The last token the edge refused as a refresh: not offered again (a new connection tries it afresh). */
  private refusedToken: string | null = null;
  private refreshRetryTimer: ReturnType<typeof setInterval> | null = null;
  private tokenExpiresAt: Date | null = null;
  private tokenRefreshes = 0;
  /**
   * The token of a connection the edge closed with 4001 (expired or revoked; '' when it had none): never
   * offered again, so a page without a token does not reopen a socket the edge refuses every time.
   */
  private rejectedToken: string | null = null;
  private rejectedTokenReported = false;

  constructor(config: Partial<WebSocketConfig> = {}, deps: WebSocketServiceDeps = {}) {
    const merged: WebSocketConfig = { ...DEFAULT_WEBSOCKET_CONFIG, url: defaultWebSocketUrl(), ...stripUndefined(config) };
    validateConfig(merged);
    this.config = Object.freeze(merged);
    this.backoff = {
      baseDelayMs: merged.reconnectInterval,
      maxDelayMs: merged.maxReconnectDelay ?? 30_000,
      jitterRatio: merged.reconnectJitter ?? 0.2,
    };
    this.queue = new BoundedQueue<ClientMessage>(merged.messageQueueSize);
    this.createSocket =
      deps.createSocket ?? ((url, protocols) => new WebSocket(url, protocols && protocols.length ? protocols : undefined));
    this.random = deps.random ?? Math.random;
    this.windowTarget = deps.windowTarget !== undefined ? deps.windowTarget : typeof window !== 'undefined' ? window : null;
    this.documentTarget =
      deps.documentTarget !== undefined ? deps.documentTarget : typeof document !== 'undefined' ? document : null;
  }

  // ---------------------------------------------------------------- connection management

  connect(): void {
    if (this.disposed) return;
    this.manuallyClosed = false;
    if (this.socket && (this.state === ConnectionState.OPEN || this.state === ConnectionState.CONNECTING)) return;
    if (this.state === ConnectionState.RECONNECTING) {
      // A reconnection is already under way; connect() means "now", not "start over".
      if (this.reconnectTimer) this.attemptReconnectNow();
      return;
    }
    this.listenToEnvironment();
    this.openSocket(ConnectionState.CONNECTING);
  }

  disconnect(): void {
    this.manuallyClosed = true;
    this.clearReconnectTimer();
    this.clearHandshakeTimer();
    this.stopHeartbeat();
    this.clearRefreshRetry();
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
    const socket = this.socket;
    if (socket) {
      this.setState(ConnectionState.CLOSING);
      this.detach(socket);
      this.socket = null;
      try {
        socket.close(CLOSE_NORMAL, 'client disconnect');
      } catch {
        // already closed
      }
    }
    this.serverSymbols.clear();
    this.setState(ConnectionState.CLOSED);
  }

  /** Drops the current connection (if any) and opens a new one right away. */
  reconnect(): void {
    if (this.disposed) return;
    this.manuallyClosed = false;
    this.clearReconnectTimer();
    this.clearHandshakeTimer();
    this.stopHeartbeat();
    this.clearRefreshRetry();
    const old = this.socket;
    if (old) {
      this.detach(old);
      this.socket = null;
      try {
        old.close(CLOSE_NORMAL, 'client reconnect');
      } catch {
        // already closed
      }
    }
    this.serverSymbols.clear();
    this.listenToEnvironment();
    this.reconnectAttempts++;
    this.openSocket(ConnectionState.RECONNECTING);
  }

  isConnected(): boolean {
    return this.state === ConnectionState.OPEN;
  }

  getConnectionState(): ConnectionState {
    return this.state;
  }

  /** True once maxReconnectAttempts attempts have failed, until the edge accepts a connection again. */
  isPollingFallback(): boolean {
    return this.pollingFallback;
  }

  // ---------------------------------------------------------------- subscription management

  /** Reference-counted: a symbol stays subscribed until every subscribe has been matched. */
  subscribe(symbols: string[]): void {
    const now = new Date();
    for (const raw of symbols) {
      const symbol = raw.trim().toUpperCase();
      if (!symbol) continue;
      const existing = this.subscriptions.get(symbol);
      if (existing) {
        existing.refCount++;
      } else {
        this.subscriptions.set(symbol, {
          symbol,
          refCount: 1,
          subscribedAt: now,
          status: 'pending',
          lastSeq: null,
          lastQuote: null,
          lastUpdate: null,
        });
      }
    }
    if (this.state === ConnectionState.CLOSED && !this.manuallyClosed && !this.disposed) this.connect();
    this.scheduleFlush();
  }

  unsubscribe(symbols: string[]): void {
    for (const raw of symbols) {
      const symbol = raw.trim().toUpperCase();
      const existing = this.subscriptions.get(symbol);
      if (!existing) continue;
      existing.refCount--;
      if (existing.refCount <= 0) this.subscriptions.delete(symbol);
    }
    this.scheduleFlush();
  }

  getActiveSubscriptions(): Set<string> {
    return new Set(this.subscriptions.keys());
  }

  getSubscription(symbol: string): Readonly<SubscriptionMetadata> | undefined {
    return this.subscriptions.get(symbol.toUpperCase());
  }

  /** The latest quote the socket delivered for a subscribed symbol (a newly mounted view starts from it). */
  getLastQuote(symbol: string): StockQuote | null {
    return this.subscriptions.get(symbol.toUpperCase())?.lastQuote ?? null;
  }

  // ---------------------------------------------------------------- message handling

  onMessage(handler: MessageHandler): UnsubscribeFn {
    return addHandler(this.messageHandlers, handler);
  }

  onError(handler: ErrorHandler): UnsubscribeFn {
    return addHandler(this.errorHandlers, handler);
  }

  onConnectionChange(handler: ConnectionHandler): UnsubscribeFn {
    return addHandler(this.connectionHandlers, handler);
  }

  /** Sends now when open; otherwise buffers up to messageQueueSize (oldest dropped). True if sent now. */
  send(message: ClientMessage): boolean {
    if (this.state === ConnectionState.OPEN && this.socket) {
      return this.sendNow(message);
    }
    this.queue.push(message);
    return false;
  }

  /**
   * Offers the edge a new token (AUTH_MODE=jwt) without reconnecting: `token`, or else what the
   * `authToken` provider returns now. Sent only while open and only when it differs from the token
   * in use; the edge answers `token_refreshed`, or an UNAUTHORIZED error (reported to onError) and
   * keeps the old one. Called by the service itself on `token_expiring`. True if a refresh was sent.
   */
  refreshToken(token?: string | null): boolean {
    const next = token ?? this.readToken();
    if (!next || next === this.tokenInUse || next === this.pendingRefresh || next === this.refusedToken) return false;
    if (this.state !== ConnectionState.OPEN || !this.socket) return false;
    this.pendingRefresh = next;
    if (!this.sendNow({ action: 'refresh', token: next }, false)) {
      this.pendingRefresh = null;
      return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- health and monitoring

  /** Latest ping round trip, ms (0 before the first pong). */
  getLatency(): number {
    return this.latency;
  }

  getLastMessageTime(): Date | null {
    return this.lastMessageAt;
  }

  getMetrics(): ConnectionMetrics {
    const avg = this.latencySamples.length
      ? this.latencySamples.reduce((a, b) => a + b, 0) / this.latencySamples.length
      : 0;
    return {
      connectionState: this.state,
      connectedAt: this.connectedAt,
      lastMessageAt: this.lastMessageAt,
      messageCount: this.messageCount,
      errorCount: this.errorCount,
      reconnectAttempts: this.reconnectAttempts,
      averageLatency: Math.round(avg * 10) / 10,
      activeSubscriptions: this.subscriptions.size,
      latency: this.latency,
      pollingFallback: this.pollingFallback,
      queuedMessages: this.queue.size,
      droppedMessages: this.queue.dropped,
      connectionCount: this.connectionCount,
      clientId: this.clientId,
      edgeId: this.edgeId,
      compressionRequested: this.config.enableCompression,
      dataLatency: summarize(this.dataLatencySamples),
      wireFormat: this.wireFormat,
      binaryFrames: this.binaryFrames,
      tokenExpiresAt: this.tokenExpiresAt,
      tokenRefreshes: this.tokenRefreshes,
    };
  }

  /** Closes the socket, stops timers and listeners; the service cannot be used again. */
  dispose(): void {
    this.disconnect();
    this.disposed = true;
    this.unlistenToEnvironment();
    this.messageHandlers.clear();
    this.errorHandlers.clear();
    this.connectionHandlers.clear();
  }

  // ---------------------------------------------------------------- internals: socket

  private openSocket(state: ConnectionState.CONNECTING | ConnectionState.RECONNECTING): void {
    this.setState(state);
    const protocols = this.protocolsForConnection();
    if (this.rejectedToken !== null && (this.tokenInUse ?? '') === this.rejectedToken) {
      // The edge closed 4001 on this very token (or on none): only a new one can get in, so try no socket until then.
      if (!this.rejectedTokenReported) {
        this.rejectedTokenReported = true;
        const message = this.rejectedToken
          ? 'token rejected: waiting for a new token to reconnect'
          : 'the edge requires a token: waiting for one to reconnect';
        this.reportError(new WebSocketServiceError(message, 'CONNECTION', 'UNAUTHORIZED'));
      }
      this.socket = null;
      this.afterClose(false);
      return;
    }
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.config.url, protocols);
      // Binary frames as ArrayBuffer (sync decode) rather than Blob; harmless on a JSON connection.
      socket.binaryType = 'arraybuffer';
    } catch (e) {
      this.reportError(new WebSocketServiceError(`cannot open ${this.config.url}: ${String(e)}`, 'CONNECTION'));
      this.socket = null;
      this.afterClose(false);
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (socket === this.socket) this.handleOpen();
    };
    socket.onmessage = (ev: MessageEvent) => {
      if (socket === this.socket) this.handleFrame(ev.data);
    };
    socket.onerror = () => {
      if (socket === this.socket) {
        this.reportError(new WebSocketServiceError(`WebSocket error on ${this.config.url}`, 'CONNECTION'));
      }
    };
    socket.onclose = (ev: CloseEvent) => {
      if (socket !== this.socket) return;
      const wasOpen = this.state === ConnectionState.OPEN;
      this.detach(socket);
      this.socket = null;
      this.lastClose = { code: ev?.code ?? 1006, reason: ev?.reason ?? '' };
      if (this.lastClose.code === CLOSE_UNAUTHORIZED) {
        this.rejectedToken = this.tokenInUse ?? '';
        this.rejectedTokenReported = false;
      }
      this.afterClose(wasOpen);
    };
  }

  /** A sign-in flow may store the new token a little later: look again until it expires. */
  private scheduleRefreshRetry(): void {
    this.clearRefreshRetry();
    this.refreshRetryTimer = setInterval(() => {
      const expired = this.tokenExpiresAt != null && Date.now() >= this.tokenExpiresAt.getTime();
      if (this.state !== ConnectionState.OPEN || expired || this.refreshToken() || this.pendingRefresh) {
        this.clearRefreshRetry();
      }
    }, REFRESH_RETRY_MS);
  }

  private clearRefreshRetry(): void {
    if (this.refreshRetryTimer) clearInterval(this.refreshRetryTimer);
    this.refreshRetryTimer = null;
  }

  private readToken(): string | null {
    const source = this.config.authToken;
    try {
      return (typeof source === 'function' ? source() : source) || null;
    } catch (e) {
      this.reportError(new WebSocketServiceError(`authToken failed: ${String(e)}`, 'CONNECTION', 'UNAUTHORIZED'));
      return null;
    }
  }

  private protocolsForConnection(): string[] | undefined {
    const token = this.readToken();
    this.tokenInUse = token;
    this.pendingRefresh = null;
    this.refusedToken = null;
    this.tokenExpiresAt = null;
    let base = this.config.protocols && this.config.protocols.length ? [...this.config.protocols] : undefined;
    // MessagePack first (the edge takes the first one it speaks), JSON as the fallback an older edge picks.
    if (!base && this.config.wireFormat === 'msgpack') base = [MSGPACK_SUBPROTOCOL, JSON_SUBPROTOCOL];
    if (!token) return base;
    const protocols = base ?? [JSON_SUBPROTOCOL];
    return [...protocols, `${BEARER_PROTOCOL_PREFIX}${token}`];
  }

  /**
   * The socket is open, but the edge may still refuse it (it sends `error` then closes 4001 / 1013, as
   * a browser cannot read an HTTP refusal): the state stays CONNECTING / RECONNECTING, and nothing is
   * sent or reset, until `connected` arrives (handleConnected).
   */
  private handleOpen(): void {
    this.wireFormat = this.socket?.protocol === MSGPACK_SUBPROTOCOL ? 'msgpack' : 'json';
    this.lastActivityMs = Date.now();
    this.clearHandshakeTimer();
    const timeout = this.config.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS;
    if (timeout > 0) this.handshakeTimer = setTimeout(() => this.handshakeTimedOut(timeout), timeout);
  }

  /** The edge's greeting: only now is the connection real (Live, backoff reset, subscriptions sent). */
  private handleConnected(): void {
    this.clearHandshakeTimer();
    this.rejectedToken = null;
    this.reconnectAttempts = 0;
    this.pollingFallback = false;
    this.connectedAt = new Date();
    this.connectionCount++;
    this.serverSymbols = new Set();
    // Transient rejections get another chance on a fresh connection.
    for (const sub of this.subscriptions.values()) {
      if (sub.status === 'rejected' && !PERMANENT_REJECTIONS.has(sub.rejection?.code ?? '')) sub.status = 'pending';
      else if (sub.status === 'active') sub.status = 'pending';
    }
    this.setState(ConnectionState.OPEN);
    this.flushSubscriptions();
    for (const message of this.queue.drain()) this.sendNow(message);
    this.startHeartbeat();
  }

  private handshakeTimedOut(timeout: number): void {
    this.handshakeTimer = null;
    const socket = this.socket;
    if (!socket || this.state === ConnectionState.OPEN) return;
    this.detach(socket);
    this.socket = null;
    try {
      socket.close(CLOSE_HANDSHAKE_TIMEOUT, 'no connected message');
    } catch {
      // nothing to do
    }
    this.reportError(
      new WebSocketServiceError(`handshake timeout: no connected message within ${timeout} ms of open`, 'CONNECTION', 'HANDSHAKE_TIMEOUT'),
    );
    this.afterClose(false);
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }

  private afterClose(wasOpen: boolean): void {
    this.clearHandshakeTimer();
    this.stopHeartbeat();
    this.clearRefreshRetry();
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
    this.serverSymbols.clear();
    if (this.manuallyClosed || this.disposed) {
      this.setState(ConnectionState.CLOSED);
      return;
    }
    const close = this.lastClose;
    this.lastClose = null;
    if (close?.code === CLOSE_IDLE_UNSUBSCRIBED && this.subscriptions.size === 0) {
      // Nothing to watch, so no socket: the next subscribe() opens one (a reconnect now would be closed again).
      this.setState(ConnectionState.CLOSED);
      return;
    }
    const closeName = close ? CLOSE_CODE_NAMES[close.code] : undefined;
    if (wasOpen || closeName) {
      const why = close ? ` (close ${close.code}${closeName ? ` ${closeName}` : ''}${close.reason ? `: ${close.reason}` : ''})` : '';
      this.reportError(new WebSocketServiceError(`connection lost${why}`, 'CONNECTION', closeName));
    }
    if (!wasOpen && this.reconnectAttempts >= this.config.maxReconnectAttempts && !this.pollingFallback) {
      // The attempt that just failed was the last one the seed allows before polling.
      this.pollingFallback = true;
    }
    if (!this.config.enableAutoReconnect) {
      this.pollingFallback = true;
      this.setState(ConnectionState.CLOSED);
      return;
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.clearReconnectTimer();
    const delay = reconnectDelay(this.reconnectAttempts + 1, this.backoff, this.random);
    this.nextRetryAt = new Date(Date.now() + delay);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.nextRetryAt = null;
      this.reconnectAttempts++;
      this.openSocket(ConnectionState.RECONNECTING);
    }, delay);
    this.setState(ConnectionState.RECONNECTING, true);
  }

  private attemptReconnectNow(): void {
    if (this.state !== ConnectionState.RECONNECTING || !this.reconnectTimer || this.manuallyClosed) return;
    this.clearReconnectTimer();
    this.reconnectAttempts++;
    this.openSocket(ConnectionState.RECONNECTING);
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.nextRetryAt = null;
  }

  private detach(socket: WebSocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onerror = null;
    socket.onclose = null;
  }

  /** Gives up on a socket that went silent: a half-open TCP connection may never fire close. */
  private dropDeadSocket(): void {
    const socket = this.socket;
    if (!socket) return;
    this.detach(socket);
    this.socket = null;
    try {
      socket.close(CLOSE_HEARTBEAT_TIMEOUT, 'heartbeat timeout');
    } catch {
      // nothing to do
    }
    this.reportError(new WebSocketServiceError('heartbeat timeout: no frame from the server', 'CONNECTION'));
    this.afterClose(false);
  }

  private sendNow(message: ClientMessage, queueOnFailure = true): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== OPEN_READY_STATE) {
      if (queueOnFailure) this.queue.push(message);
      return false;
    }
    try {
      socket.send(this.wireFormat === 'msgpack' ? encodeMsgpack(message, { ignoreUndefined: true }) : JSON.stringify(message));
      return true;
    } catch (e) {
      this.reportError(new WebSocketServiceError(`send failed: ${String(e)}`, 'CONNECTION'));
      if (queueOnFailure) this.queue.push(message);
      return false;
    }
  }

  // ---------------------------------------------------------------- internals: subscriptions

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // One frame for every subscribe/unsubscribe of the same tick (a watchlist mounting 50 rows).
    queueMicrotask(() => {
      this.flushScheduled = false;
      if (this.state === ConnectionState.OPEN) this.flushSubscriptions();
    });
  }

  /** Tells the server the difference between what it holds and what is wanted. */
  private flushSubscriptions(): void {
    const toSubscribe: string[] = [];
    for (const sub of this.subscriptions.values()) {
      if (!this.serverSymbols.has(sub.symbol) && sub.status !== 'rejected') toSubscribe.push(sub.symbol);
    }
    const toUnsubscribe = [...this.serverSymbols].filter((s) => !this.subscriptions.has(s));
    const chunk = Math.max(1, this.config.maxSymbolsPerMessage ?? 50);
    for (let i = 0; i < toUnsubscribe.length; i += chunk) {
      const symbols = toUnsubscribe.slice(i, i + chunk);
      symbols.forEach((s) => this.serverSymbols.delete(s));
      this.sendNow({ action: 'unsubscribe', symbols });
    }
    for (let i = 0; i < toSubscribe.length; i += chunk) {
      const symbols = toSubscribe.slice(i, i + chunk);
      const since: Record<string, number> = {};
      for (const s of symbols) {
        const seq = this.subscriptions.get(s)?.lastSeq;
        if (seq != null) since[s] = seq;
      }
      symbols.forEach((s) => this.serverSymbols.add(s));
      const message: ClientMessage = Object.keys(since).length
        ? { action: 'subscribe', symbols, since }
        : { action: 'subscribe', symbols };
      this.sendNow(message);
    }
  }

  /**
   * The seed's "request fresh data" for DATA errors: an unreadable frame may have been an update, so
   * ask again for every symbol with `since`; the edge answers only where it has something newer.
   */
  private scheduleResync(): void {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      if (this.state !== ConnectionState.OPEN || this.serverSymbols.size === 0) return;
      const held = [...this.serverSymbols];
      this.serverSymbols = new Set();
      this.flushSubscriptions();
      if (this.serverSymbols.size === 0) held.forEach((s) => this.serverSymbols.add(s));
    }, RESYNC_DEBOUNCE_MS);
  }

  // ---------------------------------------------------------------- internals: frames

  private handleFrame(raw: unknown): void {
    this.lastActivityMs = Date.now();
    let message: ServerMessage;
    try {
      // Text is JSON on either subprotocol (the edge rejects a connection in JSON even on MessagePack).
      if (typeof raw === 'string') {
        message = JSON.parse(raw) as ServerMessage;
      } else if (raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) {
        this.binaryFrames++;
        message = decodeMsgpack(raw as ArrayBuffer | ArrayBufferView) as ServerMessage;
      } else {
        throw new Error(`unexpected frame of type ${Object.prototype.toString.call(raw)}`);
      }
      if (!message || typeof message !== 'object' || typeof (message as { type?: unknown }).type !== 'string') {
        throw new Error('frame has no type');
      }
    } catch (e) {
      this.reportError(new WebSocketServiceError(`unreadable frame: ${String((e as Error).message ?? e)}`, 'DATA'));
      this.scheduleResync();
      return;
    }
    this.messageCount++;
    this.lastMessageAt = new Date();

    switch (message.type) {
      case 'connected':
        this.clientId = message.clientId ?? null;
        this.edgeId = message.edgeId ?? null;
        if (this.state !== ConnectionState.OPEN) this.handleConnected();
        break;
      case 'pong':
        this.recordPong(message.echo);
        break;
      case 'price_update':
      case 'batch_update':
        for (const quote of quotesOf(message)) this.recordQuote(quote);
        break;
      case 'subscribed':
        for (const symbol of message.symbols ?? []) {
          const sub = this.subscriptions.get(symbol);
          if (sub) sub.status = 'active';
        }
        for (const r of message.rejected ?? []) {
          const sub = this.subscriptions.get(r.symbol);
          this.serverSymbols.delete(r.symbol);
          if (sub) {
            sub.status = 'rejected';
            sub.rejection = { code: String(r.code), reason: r.reason };
          }
          this.reportError(
            new WebSocketServiceError(r.reason ?? `subscription to ${r.symbol} rejected`, 'MESSAGE', String(r.code), r.symbol),
          );
        }
        break;
      case 'token_expiring':
        this.tokenExpiresAt = parseDate(message.expiresAt) ?? this.tokenExpiresAt;
        if (!this.pendingRefresh && !this.refreshToken()) {
          this.reportError(
            new WebSocketServiceError(
              `token expires at ${message.expiresAt} and the authToken provider has no new token yet`,
              'CONNECTION',
              'TOKEN_EXPIRING',
            ),
          );
          this.scheduleRefreshRetry();
        }
        break;
      case 'token_refreshed':
        if (this.pendingRefresh) this.tokenInUse = this.pendingRefresh;
        this.pendingRefresh = null;
        this.tokenExpiresAt = parseDate(message.expiresAt);
        this.tokenRefreshes++;
        this.clearRefreshRetry();
        break;
      case 'error':
        if (this.pendingRefresh && isRefreshRefusal(message)) {
          // The edge keeps the old token; the refused one is not offered again on this connection.
          this.reportError(
            new WebSocketServiceError(`token refresh failed: ${message.message ?? message.code}`, 'CONNECTION', String(message.code)),
          );
          this.refusedToken = this.pendingRefresh;
          this.pendingRefresh = null;
          break;
        }
        // Before `connected`, an error is the edge saying why it refuses the connection (close follows).
        this.reportError(
          new WebSocketServiceError(
            message.message ?? String(message.code),
            message.symbol ? 'DATA' : this.state === ConnectionState.OPEN ? 'MESSAGE' : 'CONNECTION',
            String(message.code),
            message.symbol,
          ),
        );
        break;
      default:
        break;
    }
    for (const handler of [...this.messageHandlers]) {
      try {
        handler(message);
      } catch (e) {
        console.error('WebSocketService message handler failed', e);
      }
    }
  }

  private recordQuote(quote: StockQuote): void {
    const sub = this.subscriptions.get(quote.symbol);
    if (!sub) return;
    if (quote.seq != null && sub.lastSeq != null && quote.seq <= sub.lastSeq) return;
    if (quote.seq != null) sub.lastSeq = quote.seq;
    sub.lastQuote = quote;
    sub.lastUpdate = new Date();
    const ingested = quote.ingestedAt ? Date.parse(quote.ingestedAt) : NaN;
    if (Number.isFinite(ingested)) {
      this.dataLatencySamples.push(Math.max(0, Date.now() - ingested));
      if (this.dataLatencySamples.length > DATA_LATENCY_SAMPLES) this.dataLatencySamples.shift();
    }
  }

  private recordPong(echo: string | undefined): void {
    const now = Date.now();
    const sent = echo ? Date.parse(echo) : this.lastPingSentMs;
    if (!Number.isFinite(sent) || sent <= 0) return;
    const rtt = Math.max(0, now - sent);
    this.latency = rtt;
    this.latencySamples.push(rtt);
    if (this.latencySamples.length > LATENCY_SAMPLES) this.latencySamples.shift();
  }

  // ---------------------------------------------------------------- internals: heartbeat

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const interval = this.config.heartbeatInterval;
    if (!(interval > 0)) return;
    const timeout = this.config.heartbeatTimeout ?? interval * 2;
    this.ping();
    this.heartbeatTimer = setInterval(() => {
      if (this.state !== ConnectionState.OPEN) return;
      if (Date.now() - this.lastActivityMs > timeout) {
        this.dropDeadSocket();
        return;
      }
      this.ping();
    }, interval);
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private ping(): void {
    this.lastPingSentMs = Date.now();
    this.sendNow({ action: 'ping', timestamp: new Date(this.lastPingSentMs).toISOString() });
  }

  // ---------------------------------------------------------------- internals: environment

  private readonly onOnline = () => this.attemptReconnectNow();
  private readonly onVisibility = () => {
    if (this.documentTarget?.visibilityState === undefined || this.documentTarget.visibilityState === 'visible') {
      this.attemptReconnectNow();
    }
  };

  private listenToEnvironment(): void {
    if (this.listening) return;
    this.listening = true;
    this.windowTarget?.addEventListener('online', this.onOnline);
    this.documentTarget?.addEventListener('visibilitychange', this.onVisibility);
  }

  private unlistenToEnvironment(): void {
    if (!this.listening) return;
    this.listening = false;
    this.windowTarget?.removeEventListener('online', this.onOnline);
    this.documentTarget?.removeEventListener('visibilitychange', this.onVisibility);
  }

  // ---------------------------------------------------------------- internals: notification

  private setState(next: ConnectionState, force = false): void {
    const previous = this.state;
    if (previous === next && !force) return;
    this.state = next;
    const change: ConnectionChange = {
      previous,
      reconnectAttempts: this.reconnectAttempts,
      pollingFallback: this.pollingFallback,
      nextRetryAt: this.nextRetryAt,
    };
    for (const handler of [...this.connectionHandlers]) {
      try {
        handler(next, change);
      } catch (e) {
        console.error('WebSocketService connection handler failed', e);
      }
    }
  }

  private reportError(error: WebSocketServiceError): void {
    this.errorCount++;
    for (const handler of [...this.errorHandlers]) {
      try {
        handler(error);
      } catch (e) {
        console.error('WebSocketService error handler failed', e);
      }
    }
  }
}

function parseDate(iso: string | undefined): Date | null {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
}

/** The edge's answers to a refresh it did not take (refresh-protocol: UNAUTHORIZED, or UNSUPPORTED_ACTION without jwt). */
function isRefreshRefusal(message: ErrorMessage): boolean {
  return !message.symbol && (message.code === 'UNAUTHORIZED' || message.code === 'UNSUPPORTED_ACTION');
}

function summarize(samples: number[]): ConnectionMetrics['dataLatency'] {
  if (samples.length === 0) return { count: 0, average: 0, p50: 0, p95: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const average = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, average: Math.round(average), p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}

function addHandler<T>(set: Set<T>, handler: T): UnsubscribeFn {
  set.add(handler);
  let active = true;
  return () => {
    if (!active) return;
    active = false;
    set.delete(handler);
  };
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
