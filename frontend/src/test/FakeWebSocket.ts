import { decode, encode } from '@msgpack/msgpack';
import type { ClientMessage, ServerMessage } from '../types/messages';
import type { WebSocketLike } from '../services/WebSocketService';

/**
 * A scriptable stand-in for the browser WebSocket: the test decides when it opens, fails, closes
 * and what the "server" sends, and reads what the client sent. Unit tests of the client only;
 * the real browser against the real edge is the end-to-end suite's job.
 */
export class FakeWebSocket implements WebSocketLike {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSING = 2;
  static readonly CLOSED = 3;

  readyState = FakeWebSocket.CONNECTING;
  onopen: ((ev: Event) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  /** Text frames as strings, binary (MessagePack) frames as bytes. */
  readonly sent: Array<string | Uint8Array> = [];
  /** What the "server" selected from the offered subprotocols (set by open()). */
  protocol = '';
  binaryType = 'blob';
  closedWith: { code?: number; reason?: string } | null = null;

  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {}

  send(data: string | Uint8Array): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('InvalidStateError: not open');
    // A copy: the sender may reuse its buffer, as a real socket's caller may.
    this.sent.push(typeof data === 'string' ? data : new Uint8Array(data));
  }

  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code: code ?? 1005, reason: reason ?? '', wasClean: true } as CloseEvent);
  }

  // ------------------------------------------------------------ driven by the test ("server side")

  /**
   * The edge accepts: opens, then sends its `connected` greeting first, as the real edge does (binary
   * on a MessagePack connection). `protocol` is the subprotocol the handshake selected ('' = none).
   */
  open(protocol = '', greeting: Record<string, unknown> = {}): void {
    this.openOnly(protocol);
    this.greet(greeting);
  }

  /** Only the socket's open event: what a browser sees before the edge accepts or refuses. */
  openOnly(protocol = ''): void {
    this.protocol = protocol;
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.(new Event('open'));
  }

  /** The edge's `connected` message, in the wire format the handshake selected. */
  greet(fields: Record<string, unknown> = {}): void {
    const connected = {
      type: 'connected',
      message: 'Connected to Stock Tracker WebSocket',
      clientId: 'fake-client',
      timestamp: new Date().toISOString(),
      edgeId: 'fake-edge',
      heartbeatIntervalMs: 15000,
      ...fields,
    };
    if (this.protocol === 'stocktracker.v1.msgpack') this.receiveBinary(connected);
    else this.receive(connected);
  }

  /** How the edge refuses a connection: accepts the upgrade, sends `error` (JSON text), closes. */
  refuse(code = 'UNAUTHORIZED', closeCode = 4001, protocol = 'stocktracker.v1.json'): void {
    this.openOnly(protocol);
    this.receive({ type: 'error', code, message: `refused: ${code}`, timestamp: new Date().toISOString() });
    this.drop(closeCode);
  }

  /** The connection attempt fails: error then close, as browsers report it. */
  fail(): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onerror?.(new Event('error'));
    this.onclose?.({ code: 1006, reason: '', wasClean: false } as CloseEvent);
  }

  /** The server (or the network) closes an open connection. */
  drop(code = 1006): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason: '', wasClean: code !== 1006 } as CloseEvent);
  }

  receive(message: ServerMessage | Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(message) } as MessageEvent);
  }

  /** A binary frame, as a browser with binaryType 'arraybuffer' delivers it. */
  receiveBinary(message: ServerMessage | Record<string, unknown> | Uint8Array): void {
    const bytes = message instanceof Uint8Array ? message : encode(message);
    this.onmessage?.({ data: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) } as MessageEvent);
  }

  receiveRaw(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }

  sentMessages(): ClientMessage[] {
    return this.sent.map((s) => (typeof s === 'string' ? JSON.parse(s) : decode(s)) as ClientMessage);
  }

  sentActions(action: ClientMessage['action']): ClientMessage[] {
    return this.sentMessages().filter((m) => m.action === action);
  }
}

/** Records every socket the service creates, newest last. */
export class FakeSocketFactory {
  readonly sockets: FakeWebSocket[] = [];
  readonly create = (url: string, protocols?: string[]): FakeWebSocket => {
    const s = new FakeWebSocket(url, protocols);
    this.sockets.push(s);
    return s;
  };

  get latest(): FakeWebSocket {
    const s = this.sockets[this.sockets.length - 1];
    if (!s) throw new Error('no socket was created');
    return s;
  }

  get count(): number {
    return this.sockets.length;
  }
}

export function quote(symbol: string, price: number, seq: number, extra: Record<string, unknown> = {}) {
  return {
    symbol,
    price,
    change: 1.5,
    changePercent: 0.75,
    volume: 1000,
    high: price + 1,
    low: price - 1,
    open: price,
    previousClose: price - 1.5,
    timestamp: new Date(Date.now()).toISOString(),
    source: 'Simulated',
    seq,
    ...extra,
  };
}

export function priceUpdate(symbol: string, price: number, seq: number, snapshot?: boolean) {
  return { type: 'price_update', symbol, data: quote(symbol, price, seq), timestamp: new Date().toISOString(), ...(snapshot ? { snapshot } : {}) };
}

/** Lets queued microtasks (the service's coalesced subscription flush) run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
}
