/**
 * The wire protocol. The message types are generated from the JSON Schemas in schemas/ (npm run
 * gen:types, into ./generated); this file names them for the app and adds the helpers.
 * Timestamps travel as ISO-8601 strings; optional fields are omitted by the server (NON_NULL).
 * The same shapes arrive as JSON text frames or, on `stocktracker.v1.msgpack`, as MessagePack maps
 * (the edge writes timestamps as the same ISO strings there, so a decoded frame is identical).
 */
import type { AlertRuleMessage, QuoteData, ServerMessage } from './generated/messages';

export type {
  AlertMessage,
  AlertsMessage,
  AlertTriggeredMessage,
  BatchUpdateMessage,
  ClientMessage,
  ConnectedMessage,
  ErrorCode,
  ErrorMessage,
  PingMessage,
  PongMessage,
  PriceUpdateMessage,
  RefreshMessage,
  ServerMessage,
  SubscribedMessage,
  SubscribeMessage,
  SubscriptionOptions,
  TokenExpiringMessage,
  TokenRefreshedMessage,
  UnsubscribedMessage,
  UnsubscribeMessage,
} from './generated/messages';

/** One price alert (the schema's alert-rule). */
export type AlertRule = AlertRuleMessage;

/** A quote with its symbol: a price_update's `data` may omit it (quotesOf fills it in from the frame). */
export type StockQuote = QuoteData & { symbol: string };

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
