/**
 * The wire protocol, mirroring the Java records in schemas (io.stocktracker.schemas.ws / model).
 * Timestamps travel as ISO-8601 strings; optional fields are omitted by the server (NON_NULL).
 * The same shapes arrive as JSON text frames or, on `stocktracker.v1.msgpack`, as MessagePack maps
 * (the edge writes timestamps as the same ISO strings there, so a decoded frame is identical).
 */

/** The seed's price-update `data`, plus seq / ingestedAt / processedAt. */
export interface StockQuote {
  symbol: string;
  price: number;
  change?: number | null;
  changePercent?: number | null;
  volume?: number | null;
  high?: number | null;
  low?: number | null;
  open?: number | null;
  previousClose?: number | null;
  /** Source time of the quote. */
  timestamp?: string | null;
  source?: string | null;
  /** Strictly increasing per symbol: used to drop stale data and to resume after a reconnect. */
  seq?: number | null;
  ingestedAt?: string | null;
  processedAt?: string | null;
}

/** One code table, the same as io.stocktracker.schemas.contract.ErrorCode. */
export type ErrorCode =
  | 'INVALID_MESSAGE'
  | 'UNSUPPORTED_ACTION'
  | 'INVALID_SYMBOL'
  | 'SUBSCRIPTION_FAILED'
  | 'SUBSCRIPTION_LIMIT_EXCEEDED'
  | 'RATE_LIMIT_EXCEEDED'
  | 'MESSAGE_TOO_LARGE'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN_SYMBOL'
  | 'FORBIDDEN_ORIGIN'
  | 'SLOW_CONSUMER'
  | 'SOURCE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

export interface ConnectedMessage {
  type: 'connected';
  message?: string;
  clientId: string;
  timestamp?: string;
  edgeId?: string;
  heartbeatIntervalMs?: number;
}

export interface PriceUpdateMessage {
  type: 'price_update';
  symbol: string;
  data: StockQuote;
  source?: string;
  timestamp?: string;
  /** True only on the catch-up answer to a subscribe. */
  snapshot?: boolean;
}

export interface BatchUpdateMessage {
  type: 'batch_update';
  updates: Array<{ symbol: string; data: StockQuote }>;
  timestamp?: string;
}

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode | string;
  message: string;
  symbol?: string;
  timestamp?: string;
}

export interface PongMessage {
  type: 'pong';
  timestamp?: string;
  /** The ping's own timestamp, echoed back for round-trip latency. */
  echo?: string;
}

export interface SubscribedMessage {
  type: 'subscribed';
  symbols: string[];
  rejected?: Array<{ symbol: string; code: ErrorCode | string; reason?: string }>;
  timestamp?: string;
}

export interface UnsubscribedMessage {
  type: 'unsubscribed';
  symbols: string[];
  timestamp?: string;
}

/** AUTH_MODE=jwt: sent once, a refresh window before the connection's token expires. */
export interface TokenExpiringMessage {
  type: 'token_expiring';
  expiresAt: string;
  timestamp?: string;
}

/** The answer to a valid `refresh`: the new token (its exp, symbols and tier) applies from now on. */
export interface TokenRefreshedMessage {
  type: 'token_refreshed';
  /** Absent when the new token does not expire. */
  expiresAt?: string;
  timestamp?: string;
}

export type ServerMessage =
  | ConnectedMessage
  | PriceUpdateMessage
  | BatchUpdateMessage
  | ErrorMessage
  | PongMessage
  | SubscribedMessage
  | UnsubscribedMessage
  | TokenExpiringMessage
  | TokenRefreshedMessage;

export interface SubscribeMessage {
  action: 'subscribe';
  symbols: string[];
  clientId?: string;
  /** Last seq held per symbol: the edge answers with a snapshot only when it has something newer. */
  since?: Record<string, number>;
}

export interface UnsubscribeMessage {
  action: 'unsubscribe';
  symbols: string[];
  clientId?: string;
}

export interface PingMessage {
  action: 'ping';
  timestamp: string;
}

/** Replaces the connection's JWT (same `sub`) before it expires. */
export interface RefreshMessage {
  action: 'refresh';
  token: string;
}

export type ClientMessage = SubscribeMessage | UnsubscribeMessage | PingMessage | RefreshMessage;

/** The same rule as io.stocktracker.schemas.contract.Symbols. */
export const SYMBOL_PATTERN = /^[A-Z0-9^][A-Z0-9.\-^]{0,19}$/;

/** Trims and upper-cases; null when the input is not a symbol. */
export function normalizeSymbol(raw: string | null | undefined): string | null {
  if (raw == null) return null;
  const s = raw.trim().toUpperCase();
  return SYMBOL_PATTERN.test(s) ? s : null;
}

/** Quotes carried by one server frame (a price_update or each entry of a batch_update). */
export function quotesOf(message: ServerMessage): StockQuote[] {
  if (message.type === 'price_update') {
    return message.data ? [{ ...message.data, symbol: message.data.symbol ?? message.symbol }] : [];
  }
  if (message.type === 'batch_update') {
    return (message.updates ?? [])
      .filter((u) => u && u.data)
      .map((u) => ({ ...u.data, symbol: u.data.symbol ?? u.symbol }));
  }
  return [];
}

/** True when `next` should replace `current`: a newer seq, or no seq to compare. */
export function isNewer(current: StockQuote | null | undefined, next: StockQuote): boolean {
  if (!current) return true;
  if (current.seq != null && next.seq != null) return next.seq > current.seq;
  if (current.timestamp && next.timestamp) return Date.parse(next.timestamp) >= Date.parse(current.timestamp);
  return true;
}
