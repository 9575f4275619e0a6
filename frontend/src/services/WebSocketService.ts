import { BoundedQueue } from './BoundedQueue';
import { CLOSE_CODES, SUBPROTOCOLS } from '../types/generated/contract';
import type { ClientMessage, ServerMessage, StockQuote, SubscriptionOptions } from '../types/messages';
import { quotesOf } from '../types/messages';
import { resolveConfig, DEFAULT_HANDSHAKE_TIMEOUT_MS, type WebSocketConfig } from './realtime/config';
import { ConnectionStats, type ConnectionMetrics } from './realtime/connectionStats';
import { ConnectionState, type ConnectionChange } from './realtime/connectionState';
import { closeCodeName, errorFromFrame, WebSocketServiceError } from './realtime/errors';
import { HandlerSet, type UnsubscribeFn } from './realtime/handlerSet';
import { ReconnectTimer } from './realtime/reconnectTimer';
import { SubscriptionSet, type SubscriptionMetadata } from './realtime/subscriptionSet';
import { TokenRefresher } from './realtime/tokenRefresher';
import { offeredProtocols, Transport, type SocketFactory } from './realtime/transport';

export { ConnectionState, type ConnectionChange } from './realtime/connectionState';
export {
  DEFAULT_HANDSHAKE_TIMEOUT_MS,
  DEFAULT_WEBSOCKET_CONFIG,
  defaultWebSocketUrl,
  type WebSocketConfig,
  type WireFormat,
} from './realtime/config';
export type { ConnectionMetrics } from './realtime/connectionStats';
export { WebSocketServiceError, type ErrorCategory } from './realtime/errors';
export type { UnsubscribeFn } from './realtime/handlerSet';
export type { SubscriptionMetadata } from './realtime/subscriptionSet';
export type { WebSocketLike } from './realtime/transport';

export const JSON_SUBPROTOCOL = SUBPROTOCOLS.json;
export const MSGPACK_SUBPROTOCOL = SUBPROTOCOLS.msgpack;
export const BEARER_PROTOCOL_PREFIX = SUBPROTOCOLS.bearerPrefix;

export type MessageHandler = (message: ServerMessage) => void;
export type ErrorHandler = (error: WebSocketServiceError) => void;
export type ConnectionHandler = (state: ConnectionState, change: ConnectionChange) => void;

export interface WebSocketServiceDeps {
  createSocket?: SocketFactory;
  /** Source of jitter, [0, 1). */
  random?: () => number;
  /** Where `online` is fired (window) and where `visibilitychange` is fired (document). */
  windowTarget?: EventTarget | null;
  documentTarget?: (EventTarget & { visibilityState?: string }) | null;
}

/** What each kind of server frame does to the client's state, before onMessage handlers see it. */
type FrameHandlers = { [T in ServerMessage['type']]?: (message: Extract<ServerMessage, { type: T }>) => void };

/** Unreadable frames within this window trigger one resync, not one each. */
const RESYNC_DEBOUNCE_MS = 1000;

/**
 * One WebSocket per browser tab, shared by every component (hence the singleton). It orchestrates
 * the parts under realtime/: the transport (socket, handshake, heartbeat) with its codec, the
 * subscription set resumed with `since` after every reconnect, the token refresher, the statistics;
 * here live the connection state, reconnection with jittered backoff, the offline queue and the
 * public API.
 *
 * Subscriptions are desired state, not queued messages: while offline, subscribe/unsubscribe only
 * change the set, and each (re)connection sends one subscribe for everything still wanted. The
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
  private readonly transport: Transport;
  private readonly subscriptions: SubscriptionSet;
  private readonly tokens: TokenRefresher;
  private readonly stats = new ConnectionStats();
  private readonly retry: ReconnectTimer;
  private readonly queue: BoundedQueue<ClientMessage>;
  private readonly messageHandlers = new HandlerSet<MessageHandler>('message');
  private readonly errorHandlers = new HandlerSet<ErrorHandler>('error');
  private readonly connectionHandlers = new HandlerSet<ConnectionHandler>('connection');

  private state: ConnectionState = ConnectionState.CLOSED;
  private manuallyClosed = false;
  private disposed = false;
  private flushScheduled = false;
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectAttempts = 0;
  private pollingFallback = false;

  constructor(config: Partial<WebSocketConfig> = {}, deps: WebSocketServiceDeps = {}) {
    this.config = resolveConfig(config);
    const c = this.config;
    this.queue = new BoundedQueue<ClientMessage>(c.messageQueueSize);
    this.subscriptions = new SubscriptionSet(c.maxSymbolsPerMessage ?? 50);
    this.tokens = new TokenRefresher(c.authToken, {
      isConnected: () => this.state === ConnectionState.OPEN && this.transport.hasSocket(),
      sendRefresh: (token) => this.sendNow({ action: 'refresh', token }, false),
      report: (error) => this.reportError(error),
    });
    this.retry = new ReconnectTimer(
      { baseDelayMs: c.reconnectInterval, maxDelayMs: c.maxReconnectDelay ?? 30_000, jitterRatio: c.reconnectJitter ?? 0.2 },
      deps.random ?? Math.random,
      {
        windowTarget: deps.windowTarget !== undefined ? deps.windowTarget : typeof window !== 'undefined' ? window : null,
        documentTarget:
          deps.documentTarget !== undefined ? deps.documentTarget : typeof document !== 'undefined' ? document : null,
      },
      () => this.attemptReconnectNow(),
    );
    this.transport = new Transport(
      {
        url: c.url,
        createSocket:
          deps.createSocket ?? ((url, protocols) => new WebSocket(url, protocols && protocols.length ? protocols : undefined)),
        handshakeTimeoutMs: c.handshakeTimeout ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        heartbeatIntervalMs: c.heartbeatInterval,
        heartbeatTimeoutMs: c.heartbeatTimeout ?? c.heartbeatInterval * 2,
      },
      {
        message: (message, binary) => this.handleMessage(message, binary),
        unreadable: (reason, binary) => this.handleUnreadable(reason, binary),
        failed: () => this.reportError(new WebSocketServiceError(`WebSocket error on ${c.url}`, 'CONNECTION')),
        closed: (code, reason) => this.handleClosed(code, reason),
        handshakeTimedOut: (timeout) => {
          this.reportError(
            new WebSocketServiceError(
              `handshake timeout: no connected message within ${timeout} ms of open`,
              'CONNECTION',
              'HANDSHAKE_TIMEOUT',
            ),
          );
          this.afterClose(false);
        },
        silent: () => {
          this.reportError(new WebSocketServiceError('heartbeat timeout: no frame from the server', 'CONNECTION'));
          this.afterClose(false);
        },
        ping: () => this.ping(),
      },
    );
  }

  // ---------------------------------------------------------------- connection management

  connect(): void {
    if (this.disposed) return;
    this.manuallyClosed = false;
    if (this.transport.hasSocket() && (this.state === ConnectionState.OPEN || this.state === ConnectionState.CONNECTING)) {
      return;
    }
    if (this.state === ConnectionState.RECONNECTING) {
      // A reconnection is already under way; connect() means "now", not "start over".
      if (this.retry.isScheduled()) this.attemptReconnectNow();
      return;
    }
    this.retry.listen();
    this.openSocket(ConnectionState.CONNECTING);
  }

  disconnect(): void {
    this.manuallyClosed = true;
    this.retry.cancel();
    this.transport.stop();
    this.tokens.stop();
    this.cancelResync();
    if (this.transport.hasSocket()) {
      this.setState(ConnectionState.CLOSING);
      this.transport.close(CLOSE_CODES.NORMAL, 'client disconnect');
    }
    this.subscriptions.connectionLost();
    this.setState(ConnectionState.CLOSED);
  }

  /** Drops the current connection (if any) and opens a new one right away. */
  reconnect(): void {
    if (this.disposed) return;
    this.manuallyClosed = false;
    this.retry.cancel();
    this.tokens.stop();
    this.transport.close(CLOSE_CODES.NORMAL, 'client reconnect');
    this.subscriptions.connectionLost();
    this.retry.listen();
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

  /**
   * Reference-counted: a symbol stays subscribed until every subscribe has been matched. `options` (maxRate,
   * minChangePercent, fields; see docs/PROTOCOL.md) shape what the edge sends for these symbols; the last given win.
   */
  subscribe(symbols: string[], options?: SubscriptionOptions): void {
    this.subscriptions.add(symbols, options);
    if (this.state === ConnectionState.CLOSED && !this.manuallyClosed && !this.disposed) this.connect();
    this.scheduleFlush();
  }

  unsubscribe(symbols: string[]): void {
    this.subscriptions.remove(symbols);
    this.scheduleFlush();
  }

  getActiveSubscriptions(): Set<string> {
    return this.subscriptions.symbols();
  }

  getSubscription(symbol: string): Readonly<SubscriptionMetadata> | undefined {
    return this.subscriptions.get(symbol);
  }

  /** The latest quote the socket delivered for a subscribed symbol (a newly mounted view starts from it). */
  getLastQuote(symbol: string): StockQuote | null {
    return this.subscriptions.get(symbol)?.lastQuote ?? null;
  }

  // ---------------------------------------------------------------- message handling

  onMessage(handler: MessageHandler): UnsubscribeFn {
    return this.messageHandlers.add(handler);
  }

  onError(handler: ErrorHandler): UnsubscribeFn {
    return this.errorHandlers.add(handler);
  }

  onConnectionChange(handler: ConnectionHandler): UnsubscribeFn {
    return this.connectionHandlers.add(handler);
  }

  /** Sends now when open; otherwise buffers up to messageQueueSize (oldest dropped). True if sent now. */
  send(message: ClientMessage): boolean {
    if (this.state === ConnectionState.OPEN && this.transport.hasSocket()) {
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
    return this.tokens.refresh(token);
  }

  // ---------------------------------------------------------------- health and monitoring

  /** Latest ping round trip, ms (0 before the first pong). */
  getLatency(): number {
    return this.stats.latestLatency();
  }

  getLastMessageTime(): Date | null {
    return this.stats.lastMessageTime();
  }

  getMetrics(): ConnectionMetrics {
    const counted = this.stats.snapshot();
    return {
      connectionState: this.state,
      connectedAt: counted.connectedAt,
      lastMessageAt: counted.lastMessageAt,
      messageCount: counted.messageCount,
      errorCount: counted.errorCount,
      reconnectAttempts: this.reconnectAttempts,
      averageLatency: counted.averageLatency,
      activeSubscriptions: this.subscriptions.size,
      latency: counted.latency,
      pollingFallback: this.pollingFallback,
      queuedMessages: this.queue.size,
      droppedMessages: this.queue.dropped,
      connectionCount: counted.connectionCount,
      clientId: counted.clientId,
      edgeId: counted.edgeId,
      compressionRequested: this.config.enableCompression,
      dataLatency: counted.dataLatency,
      wireFormat: this.transport.wireFormat(),
      binaryFrames: counted.binaryFrames,
      tokenExpiresAt: this.tokens.expiresAt,
      tokenRefreshes: this.tokens.refreshes,
    };
  }

  /** Closes the socket, stops timers and listeners; the service cannot be used again. */
  dispose(): void {
    this.disconnect();
    this.disposed = true;
    this.retry.unlisten();
    this.messageHandlers.clear();
    this.errorHandlers.clear();
    this.connectionHandlers.clear();
  }

  // ---------------------------------------------------------------- internals: connection lifecycle

  private openSocket(state: ConnectionState.CONNECTING | ConnectionState.RECONNECTING): void {
    this.setState(state);
    const token = this.tokens.forNewConnection();
    if (this.tokens.blockedUntilNewToken()) {
      this.afterClose(false);
      return;
    }
    try {
      this.transport.open(offeredProtocols(this.config, token));
    } catch (e) {
      this.reportError(new WebSocketServiceError(`cannot open ${this.config.url}: ${String(e)}`, 'CONNECTION'));
      this.afterClose(false);
    }
  }

  /** The edge's greeting: only now is the connection real (Live, backoff reset, subscriptions sent). */
  private handleConnected(): void {
    this.tokens.connectionAccepted();
    this.reconnectAttempts = 0;
    this.pollingFallback = false;
    this.stats.connected();
    this.subscriptions.startConnection();
    this.setState(ConnectionState.OPEN);
    this.flushSubscriptions();
    for (const message of this.queue.drain()) this.sendNow(message);
    this.transport.connected();
  }

  private handleClosed(code: number, reason: string): void {
    const wasOpen = this.state === ConnectionState.OPEN;
    if (code === CLOSE_CODES.UNAUTHORIZED) this.tokens.closedUnauthorized();
    this.afterClose(wasOpen, { code, reason });
  }

  private afterClose(wasOpen: boolean, close?: { code: number; reason: string }): void {
    this.transport.stop();
    this.tokens.stop();
    this.cancelResync();
    this.subscriptions.connectionLost();
    if (this.manuallyClosed || this.disposed) {
      this.setState(ConnectionState.CLOSED);
      return;
    }
    if (close?.code === CLOSE_CODES.IDLE_UNSUBSCRIBED && this.subscriptions.size === 0) {
      // Nothing to watch, so no socket: the next subscribe() opens one (a reconnect now would be closed again).
      this.setState(ConnectionState.CLOSED);
      return;
    }
    const closeName = close ? closeCodeName(close.code) : undefined;
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
    this.retry.schedule(this.reconnectAttempts + 1, () => {
      this.reconnectAttempts++;
      this.openSocket(ConnectionState.RECONNECTING);
    });
    this.setState(ConnectionState.RECONNECTING, true);
  }

  private attemptReconnectNow(): void {
    if (this.state !== ConnectionState.RECONNECTING || !this.retry.isScheduled() || this.manuallyClosed) return;
    this.retry.cancel();
    this.reconnectAttempts++;
    this.openSocket(ConnectionState.RECONNECTING);
  }

  private sendNow(message: ClientMessage, queueOnFailure = true): boolean {
    if (!this.transport.isOpen()) {
      if (queueOnFailure) this.queue.push(message);
      return false;
    }
    try {
      this.transport.send(message);
      return true;
    } catch (e) {
      this.reportError(new WebSocketServiceError(`send failed: ${String(e)}`, 'CONNECTION'));
      if (queueOnFailure) this.queue.push(message);
      return false;
    }
  }

  private ping(): void {
    const now = Date.now();
    this.stats.pingSent(now);
    this.sendNow({ action: 'ping', timestamp: new Date(now).toISOString() });
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

  private flushSubscriptions(): void {
    for (const frame of this.subscriptions.reconcile()) this.sendNow(frame);
  }

  /**
   * The seed's "request fresh data" for DATA errors: an unreadable frame may have been an update, so
   * ask again for every symbol with `since`; the edge answers only where it has something newer.
   */
  private scheduleResync(): void {
    if (this.resyncTimer) return;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      if (this.state !== ConnectionState.OPEN) return;
      for (const frame of this.subscriptions.resubscribeHeld()) this.sendNow(frame);
    }, RESYNC_DEBOUNCE_MS);
  }

  private cancelResync(): void {
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
  }

  // ---------------------------------------------------------------- internals: frames

  private readonly frameHandlers: FrameHandlers = {
    connected: (m) => {
      this.stats.greeted(m.clientId ?? null, m.edgeId ?? null);
      if (this.state !== ConnectionState.OPEN) this.handleConnected();
    },
    pong: (m) => this.stats.pong(m.echo),
    price_update: (m) => this.deliverQuotes(m),
    batch_update: (m) => this.deliverQuotes(m),
    subscribed: (m) => {
      for (const r of this.subscriptions.acknowledge(m)) {
        this.reportError(new WebSocketServiceError(r.reason ?? `subscription to ${r.symbol} rejected`, 'MESSAGE', r.code, r.symbol));
      }
    },
    token_expiring: (m) => this.tokens.expiring(m.expiresAt),
    token_refreshed: (m) => this.tokens.refreshed(m.expiresAt),
    error: (m) => {
      if (!this.tokens.refusal(m)) this.reportError(errorFromFrame(m, this.state === ConnectionState.OPEN));
    },
  };

  private handleMessage(message: ServerMessage, binary: boolean): void {
    this.stats.frame(binary);
    this.stats.message();
    const handle = this.frameHandlers[message.type] as ((m: ServerMessage) => void) | undefined;
    handle?.(message);
    this.messageHandlers.emit(message);
  }

  private handleUnreadable(reason: string, binary: boolean): void {
    this.stats.frame(binary);
    this.reportError(new WebSocketServiceError(`unreadable frame: ${reason}`, 'DATA'));
    this.scheduleResync();
  }

  private deliverQuotes(message: ServerMessage): void {
    for (const quote of quotesOf(message)) {
      if (this.subscriptions.recordQuote(quote)) this.stats.quoteDelivered(quote);
    }
  }

  // ---------------------------------------------------------------- internals: notification

  private setState(next: ConnectionState, force = false): void {
    const previous = this.state;
    if (previous === next && !force) return;
    this.state = next;
    this.connectionHandlers.emit(next, {
      previous,
      reconnectAttempts: this.reconnectAttempts,
      pollingFallback: this.pollingFallback,
      nextRetryAt: this.retry.nextRetryAt(),
    });
  }

  private reportError(error: WebSocketServiceError): void {
    this.stats.error();
    this.errorHandlers.emit(error);
  }
}
