import type { StockQuote } from '../../types/messages';
import type { WireFormat } from './config';

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

/** The part of the metrics counted from frames, pings and errors over the service's life. */
export type CountedMetrics = Pick<
  ConnectionMetrics,
  | 'connectedAt'
  | 'lastMessageAt'
  | 'messageCount'
  | 'errorCount'
  | 'averageLatency'
  | 'latency'
  | 'connectionCount'
  | 'clientId'
  | 'edgeId'
  | 'dataLatency'
  | 'binaryFrames'
>;

const LATENCY_SAMPLES = 20;
const DATA_LATENCY_SAMPLES = 500;

export class ConnectionStats {
  private connectedAt: Date | null = null;
  private lastMessageAt: Date | null = null;
  private messageCount = 0;
  private errorCount = 0;
  private connectionCount = 0;
  private latency = 0;
  private readonly latencySamples: number[] = [];
  private readonly dataLatencySamples: number[] = [];
  private lastPingSentMs = 0;
  private clientId: string | null = null;
  private edgeId: string | null = null;
  private binaryFrames = 0;

  frame(binary: boolean): void {
    if (binary) this.binaryFrames++;
  }

  message(): void {
    this.messageCount++;
    this.lastMessageAt = new Date();
  }

  error(): void {
    this.errorCount++;
  }

  greeted(clientId: string | null, edgeId: string | null): void {
    this.clientId = clientId;
    this.edgeId = edgeId;
  }

  connected(): void {
    this.connectedAt = new Date();
    this.connectionCount++;
  }

  pingSent(atMs: number): void {
    this.lastPingSentMs = atMs;
  }

  /** A pong echoes its ping's timestamp; one that does not is taken as the answer to the last ping. */
  pong(echo: string | undefined): void {
    const now = Date.now();
    const sent = echo ? Date.parse(echo) : this.lastPingSentMs;
    if (!Number.isFinite(sent) || sent <= 0) return;
    const rtt = Math.max(0, now - sent);
    this.latency = rtt;
    this.latencySamples.push(rtt);
    if (this.latencySamples.length > LATENCY_SAMPLES) this.latencySamples.shift();
  }

  quoteDelivered(quote: StockQuote): void {
    const ingested = quote.ingestedAt ? Date.parse(quote.ingestedAt) : NaN;
    if (!Number.isFinite(ingested)) return;
    this.dataLatencySamples.push(Math.max(0, Date.now() - ingested));
    if (this.dataLatencySamples.length > DATA_LATENCY_SAMPLES) this.dataLatencySamples.shift();
  }

  latestLatency(): number {
    return this.latency;
  }

  lastMessageTime(): Date | null {
    return this.lastMessageAt;
  }

  snapshot(): CountedMetrics {
    const samples = this.latencySamples;
    const avg = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : 0;
    return {
      connectedAt: this.connectedAt,
      lastMessageAt: this.lastMessageAt,
      messageCount: this.messageCount,
      errorCount: this.errorCount,
      averageLatency: Math.round(avg * 10) / 10,
      latency: this.latency,
      connectionCount: this.connectionCount,
      clientId: this.clientId,
      edgeId: this.edgeId,
      dataLatency: summarize(this.dataLatencySamples),
      binaryFrames: this.binaryFrames,
    };
  }
}

function summarize(samples: number[]): ConnectionMetrics['dataLatency'] {
  if (samples.length === 0) return { count: 0, average: 0, p50: 0, p95: 0, max: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const average = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { count: sorted.length, average: Math.round(average), p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}
