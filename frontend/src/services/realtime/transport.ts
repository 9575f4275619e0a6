import { CLOSE_CODES, SUBPROTOCOLS } from '../../types/generated/contract';
import type { ClientMessage, ServerMessage } from '../../types/messages';
import { codecFor, decodeFrame, isBinaryFrame, type Codec } from './codec';
import type { WebSocketConfig, WireFormat } from './config';
import { Heartbeat } from './heartbeat';

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

export type SocketFactory = (url: string, protocols?: string[]) => WebSocketLike;

/** What happened to the current socket. After closed, handshakeTimedOut or silent it is gone. */
export interface TransportEvents {
  message(message: ServerMessage, binary: boolean): void;
  unreadable(reason: string, binary: boolean): void;
  /** The socket's error event (its close follows). */
  failed(): void;
  closed(code: number, reason: string): void;
  /** No `connected` within the handshake timeout; the socket was closed with 4002. */
  handshakeTimedOut(timeoutMs: number): void;
  /** No frame within the heartbeat timeout; the socket was closed with 4000. */
  silent(): void;
  /** Time for a heartbeat ping (sent by the service, which queues what cannot go out). */
  ping(): void;
}

export interface TransportOptions {
  url: string;
  createSocket: SocketFactory;
  handshakeTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
}

const OPEN_READY_STATE = 1;
/** A client-chosen code (4000-4999, not in the edge's CloseCode table): no `connected` after open. */
const CLOSE_HANDSHAKE_TIMEOUT = 4002;

/** Subprotocols to offer: configured ones, or MessagePack first when wanted; a token rides as `bearer.<token>`. */
export function offeredProtocols(config: WebSocketConfig, token: string | null): string[] | undefined {
  let base = config.protocols && config.protocols.length ? [...config.protocols] : undefined;
  // MessagePack first (the edge takes the first one it speaks), JSON as the fallback an older edge picks.
  if (!base && config.wireFormat === 'msgpack') base = [SUBPROTOCOLS.msgpack, SUBPROTOCOLS.json];
  if (!token) return base;
  const protocols = base ?? [SUBPROTOCOLS.json];
  return [...protocols, `${SUBPROTOCOLS.bearerPrefix}${token}`];
}

/**
 * One socket at a time: opening it, the wait for the edge's `connected` (an open socket is not yet a
 * connection: the edge refuses by accepting the upgrade, sending `error` and closing), the heartbeat,
 * and frames in and out through the negotiated codec. Events from a socket it let go are ignored.
 */
export class Transport {
  private socket: WebSocketLike | null = null;
  private codec: Codec | null = null;
  private handshakeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly heartbeat: Heartbeat;

  constructor(
    private readonly options: TransportOptions,
    private readonly events: TransportEvents,
  ) {
    this.heartbeat = new Heartbeat(
      options.heartbeatIntervalMs,
      options.heartbeatTimeoutMs,
      () => events.ping(),
      () => this.dropSilent(),
    );
  }

  /** Opens a socket; throws when the browser refuses to create one (bad URL, blocked port). */
  open(protocols: string[] | undefined): void {
    this.socket = null;
    const socket = this.options.createSocket(this.options.url, protocols);
    // Binary frames as ArrayBuffer (sync decode) rather than Blob; harmless on a JSON connection.
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    socket.onopen = () => {
      if (socket === this.socket) this.handleOpen(socket);
    };
    socket.onmessage = (ev: MessageEvent) => {
      if (socket === this.socket) this.handleFrame(ev.data);
    };
    socket.onerror = () => {
      if (socket === this.socket) this.events.failed();
    };
    socket.onclose = (ev: CloseEvent) => {
      if (socket !== this.socket) return;
      this.release(socket);
      this.events.closed(ev?.code ?? 1006, ev?.reason ?? '');
    };
  }

  /** The edge accepted (`connected`): the handshake wait ends and the heartbeat starts. */
  connected(): void {
    this.clearHandshakeTimer();
    this.heartbeat.start();
  }

  hasSocket(): boolean {
    return this.socket !== null;
  }

  isOpen(): boolean {
    return this.socket !== null && this.socket.readyState === OPEN_READY_STATE;
  }

  /** What the current (or last) handshake chose; null before the first socket opened. */
  wireFormat(): WireFormat | null {
    return this.codec?.format ?? null;
  }

  /** Throws when the socket is not open or the browser refuses the frame. */
  send(message: ClientMessage): void {
    if (!this.socket) throw new Error('no socket');
    this.socket.send((this.codec ?? codecFor(undefined)).encode(message));
  }

  /** Stops the handshake wait and the heartbeat. */
  stop(): void {
    this.clearHandshakeTimer();
    this.heartbeat.stop();
  }

  /** Lets the socket go without an event, closing it with this code. */
  close(code: number, reason: string): void {
    this.stop();
    const socket = this.socket;
    if (!socket) return;
    this.release(socket);
    try {
      socket.close(code, reason);
    } catch {
      // already closed
    }
  }

  private handleOpen(socket: WebSocketLike): void {
    this.codec = codecFor(socket.protocol);
    this.heartbeat.activity();
    this.clearHandshakeTimer();
    const timeout = this.options.handshakeTimeoutMs;
    if (timeout > 0) this.handshakeTimer = setTimeout(() => this.handshakeTimedOut(timeout), timeout);
  }

  private handleFrame(raw: unknown): void {
    this.heartbeat.activity();
    const binary = isBinaryFrame(raw);
    let message: ServerMessage;
    try {
      message = decodeFrame(raw);
    } catch (e) {
      this.events.unreadable(String((e as Error).message ?? e), binary);
      return;
    }
    this.events.message(message, binary);
  }

  private handshakeTimedOut(timeout: number): void {
    this.handshakeTimer = null;
    if (!this.socket) return;
    this.close(CLOSE_HANDSHAKE_TIMEOUT, 'no connected message');
    this.events.handshakeTimedOut(timeout);
  }

  private dropSilent(): void {
    if (!this.socket) return;
    this.close(CLOSE_CODES.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
    this.events.silent();
  }

  private release(socket: WebSocketLike): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onerror = null;
    socket.onclose = null;
    this.socket = null;
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = null;
  }
}
