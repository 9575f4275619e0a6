import { decode } from '@msgpack/msgpack';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  BATCH_UPDATE_JSON,
  BATCH_UPDATE_MSGPACK,
  PRICE_UPDATE_JSON,
  PRICE_UPDATE_MSGPACK,
  TOKEN_EXPIRING_JSON,
  TOKEN_EXPIRING_MSGPACK,
} from '../test/edgeMsgpackFrames';
import { FakeSocketFactory, flushMicrotasks, priceUpdate } from '../test/FakeWebSocket';
import type { ServerMessage } from '../types/messages';
import { WebSocketService, type WebSocketConfig, type WebSocketServiceError } from './WebSocketService';

const MSGPACK = 'stocktracker.v1.msgpack';
const JSON_PROTOCOL = 'stocktracker.v1.json';

function makeService(config: Partial<WebSocketConfig> = {}) {
  const factory = new FakeSocketFactory();
  const service = new WebSocketService(
    { url: 'ws://edge.test/ws', heartbeatInterval: 0, ...config },
    { createSocket: factory.create, random: () => 0.5, windowTarget: null, documentTarget: null },
  );
  const messages: ServerMessage[] = [];
  const errors: WebSocketServiceError[] = [];
  // Not the `connected` greeting every FakeWebSocket.open() sends: these tests look at what follows it.
  service.onMessage((m) => m.type !== 'connected' && messages.push(m));
  service.onError((e) => errors.push(e));
  return { service, factory, messages, errors };
}

describe('WebSocketService wire format', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('decodes the edge\'s MessagePack price_update and batch_update into the same objects as their JSON', async () => {
    for (const [json, msgpack] of [
      [PRICE_UPDATE_JSON, PRICE_UPDATE_MSGPACK],
      [BATCH_UPDATE_JSON, BATCH_UPDATE_MSGPACK],
      [TOKEN_EXPIRING_JSON, TOKEN_EXPIRING_MSGPACK],
    ] as const) {
      const viaJson = makeService();
      viaJson.service.connect();
      viaJson.factory.latest.open();
      viaJson.factory.latest.receiveRaw(json);

      const viaMsgpack = makeService({ wireFormat: 'msgpack' });
      viaMsgpack.service.connect();
      viaMsgpack.factory.latest.open(MSGPACK);
      viaMsgpack.factory.latest.receiveBinary(msgpack);

      expect(viaMsgpack.errors.filter((e) => e.category === 'DATA')).toEqual([]);
      expect(viaMsgpack.messages).toHaveLength(1);
      expect(viaMsgpack.messages[0]).toStrictEqual(viaJson.messages[0]);
      expect(viaMsgpack.messages[0]).toStrictEqual(JSON.parse(json));
    }
  });

  it('feeds decoded binary updates to subscriptions like JSON ones (seq, last quote, ISO timestamps)', async () => {
    const { service, factory } = makeService({ wireFormat: 'msgpack' });
    service.subscribe(['AAPL', 'BRK.B']);
    factory.latest.open(MSGPACK);
    await flushMicrotasks();
    factory.latest.receiveBinary(BATCH_UPDATE_MSGPACK);
    expect(service.getSubscription('AAPL')?.lastSeq).toBe(9007199254740);
    expect(service.getSubscription('BRK.B')?.lastSeq).toBe(7);
    expect(service.getLastQuote('AAPL')).toMatchObject({ price: 189.25, ingestedAt: '2026-11-29T12:00:00.050Z' });
    expect(service.getMetrics()).toMatchObject({ wireFormat: 'msgpack', binaryFrames: 2, messageCount: 2 }); // connected + batch
  });

  it('offers MessagePack then JSON, asks for ArrayBuffers, and sends binary frames once MessagePack was chosen', async () => {
    const { service, factory } = makeService({ wireFormat: 'msgpack', heartbeatInterval: 15_000 });
    service.subscribe(['AAPL']);
    const socket = factory.latest;
    expect(socket.protocols).toEqual([MSGPACK, JSON_PROTOCOL]);
    expect(socket.binaryType).toBe('arraybuffer');
    socket.open(MSGPACK);
    await flushMicrotasks();

    expect(socket.sent.length).toBeGreaterThanOrEqual(2);
    expect(socket.sent.every((frame) => frame instanceof Uint8Array)).toBe(true);
    const subscribe = socket.sent.map((f) => decode(f as Uint8Array) as Record<string, unknown>).find((m) => m.action === 'subscribe');
    expect(subscribe).toStrictEqual({ action: 'subscribe', symbols: ['AAPL'] });
    expect(socket.sentActions('ping')).toHaveLength(1);

    // The resubscribe after a reconnect carries `since` as a MessagePack map.
    socket.receiveBinary(priceUpdate('AAPL', 101, 42));
    socket.drop();
    vi.advanceTimersByTime(1000);
    factory.latest.open(MSGPACK);
    await flushMicrotasks();
    expect(decode(factory.latest.sent[0] as Uint8Array)).toStrictEqual({ action: 'subscribe', symbols: ['AAPL'], since: { AAPL: 42 } });
  });

  it('falls back to JSON text both ways when the edge picks JSON', async () => {
    const { service, factory, messages } = makeService({ wireFormat: 'msgpack' });
    service.subscribe(['MSFT']);
    factory.latest.open(JSON_PROTOCOL);
    await flushMicrotasks();
    expect(factory.latest.sent).toEqual([JSON.stringify({ action: 'subscribe', symbols: ['MSFT'] })]);
    factory.latest.receive(priceUpdate('MSFT', 300, 5));
    expect(messages.map((m) => m.type)).toEqual(['price_update']);
    expect(service.getMetrics()).toMatchObject({ wireFormat: 'json', binaryFrames: 0 });
    expect(service.getSubscription('MSFT')?.lastSeq).toBe(5);
  });

  it('an edge that selects no subprotocol is spoken to in JSON', async () => {
    const { service, factory } = makeService({ wireFormat: 'msgpack' });
    service.subscribe(['MSFT']);
    factory.latest.open('');
    await flushMicrotasks();
    expect(typeof factory.latest.sent[0]).toBe('string');
  });

  it('reads a JSON text frame on a MessagePack connection (the edge rejects connections in JSON)', () => {
    const { service, factory, errors } = makeService({ wireFormat: 'msgpack' });
    service.connect();
    factory.latest.open(MSGPACK);
    factory.latest.receive({ type: 'error', code: 'UNAUTHORIZED', message: 'missing token' });
    expect(errors.map((e) => e.code)).toEqual(['UNAUTHORIZED']);
  });

  it('reports an undecodable binary frame as a DATA error and keeps the connection', () => {
    const { service, factory, errors } = makeService({ wireFormat: 'msgpack' });
    service.connect();
    factory.latest.open(MSGPACK);
    factory.latest.receiveBinary(new Uint8Array([0xc1])); // "never used" in the MessagePack spec
    factory.latest.receiveBinary(new Uint8Array([0x93, 1, 2, 3])); // an array, not a message
    expect(errors.map((e) => e.category)).toEqual(['DATA', 'DATA']);
    expect(service.isConnected()).toBe(true);
  });

  it('keeps the default JSON offer unchanged and rejects an unknown wire format', () => {
    const { service, factory } = makeService();
    service.connect();
    expect(factory.latest.protocols).toBeUndefined();
    const withToken = makeService({ wireFormat: 'msgpack', authToken: 'tok' });
    withToken.service.connect();
    expect(withToken.factory.latest.protocols).toEqual([MSGPACK, JSON_PROTOCOL, 'bearer.tok']);
    expect(() => new WebSocketService({ url: 'ws://x/ws', wireFormat: 'xml' as never })).toThrow(/wireFormat must be "json" or "msgpack"/);
  });
});

describe('WebSocketService token refresh', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const expiring = { type: 'token_expiring', expiresAt: '2030-01-01T00:01:00Z', timestamp: '2030-01-01T00:00:00Z' };

  it('on token_expiring sends refresh with the provider\'s new token and records token_refreshed', () => {
    let token = 'tok-1';
    const { service, factory, messages, errors } = makeService({ authToken: () => token });
    service.connect();
    factory.latest.open(JSON_PROTOCOL);
    token = 'tok-2';
    factory.latest.receive(expiring);
    expect(factory.latest.sentActions('refresh')).toEqual([{ action: 'refresh', token: 'tok-2' }]);
    expect(service.getMetrics().tokenExpiresAt?.toISOString()).toBe('2030-01-01T00:01:00.000Z');

    factory.latest.receive({ type: 'token_refreshed', expiresAt: '2030-01-01T01:00:00Z', timestamp: '2030-01-01T00:00:01Z' });
    expect(messages.map((m) => m.type)).toEqual(['token_expiring', 'token_refreshed']);
    expect(service.getMetrics()).toMatchObject({ tokenRefreshes: 1 });
    expect(service.getMetrics().tokenExpiresAt?.toISOString()).toBe('2030-01-01T01:00:00.000Z');
    expect(errors).toEqual([]);

    // tok-2 is now the one in use: the next warning with no newer token sends nothing.
    factory.latest.receive(expiring);
    expect(factory.latest.sentActions('refresh')).toHaveLength(1);
  });

  it('sends refresh as MessagePack on a MessagePack connection', () => {
    let token = 'tok-1';
    const { service, factory } = makeService({ authToken: () => token, wireFormat: 'msgpack' });
    service.connect();
    factory.latest.open(MSGPACK);
    token = 'tok-2';
    factory.latest.receiveBinary(TOKEN_EXPIRING_MSGPACK);
    const refresh = factory.latest.sent.find((f) => f instanceof Uint8Array && (decode(f) as { action?: string }).action === 'refresh');
    expect(refresh && decode(refresh as Uint8Array)).toStrictEqual({ action: 'refresh', token: 'tok-2' });
  });

  it('reports the edge\'s refusal of a refresh through onError and keeps the connection', () => {
    let token = 'tok-1';
    const { service, factory, errors } = makeService({ authToken: () => token });
    service.connect();
    factory.latest.open(JSON_PROTOCOL);
    token = 'tok-other-user';
    factory.latest.receive(expiring);
    factory.latest.receive({ type: 'error', code: 'UNAUTHORIZED', message: 'refresh token belongs to another subject' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ category: 'CONNECTION', code: 'UNAUTHORIZED' });
    expect(errors[0].message).toBe('token refresh failed: refresh token belongs to another subject');
    expect(service.isConnected()).toBe(true);
    expect(service.getMetrics().tokenRefreshes).toBe(0);
    // The refused token is not offered again; another one is.
    expect(service.refreshToken()).toBe(false);
    token = 'tok-3';
    expect(service.refreshToken()).toBe(true);
    expect(factory.latest.sentActions('refresh').map((m) => (m as { token: string }).token)).toEqual(['tok-other-user', 'tok-3']);
  });

  it('without a new token it says so, then sends refresh as soon as the provider has one', () => {
    let token = 'tok-1';
    const { service, factory, errors } = makeService({ authToken: () => token });
    service.connect();
    factory.latest.open(JSON_PROTOCOL);
    factory.latest.receive({ ...expiring, expiresAt: new Date(Date.now() + 60_000).toISOString() });
    expect(factory.latest.sentActions('refresh')).toEqual([]);
    expect(errors.map((e) => e.code)).toEqual(['TOKEN_EXPIRING']);

    vi.advanceTimersByTime(5000);
    expect(factory.latest.sentActions('refresh')).toEqual([]);
    token = 'tok-2';
    vi.advanceTimersByTime(5000);
    expect(factory.latest.sentActions('refresh')).toEqual([{ action: 'refresh', token: 'tok-2' }]);
    vi.advanceTimersByTime(60_000);
    expect(factory.latest.sentActions('refresh')).toHaveLength(1);
  });

  it('refreshToken() sends only while open and only a token different from the one in use', () => {
    const { service, factory } = makeService({ authToken: () => 'tok-1' });
    expect(service.refreshToken('tok-2')).toBe(false); // not connected: the next connection reads the provider
    service.connect();
    factory.latest.open(JSON_PROTOCOL);
    expect(service.refreshToken()).toBe(false);
    expect(service.refreshToken('tok-1')).toBe(false);
    expect(service.refreshToken('tok-2')).toBe(true);
    expect(service.refreshToken('tok-2')).toBe(false); // already on its way
    expect(factory.latest.sentActions('refresh')).toEqual([{ action: 'refresh', token: 'tok-2' }]);
    expect(service.getMetrics().queuedMessages).toBe(0);
  });

  it('after close 4001 reconnects only once the provider has a new token', () => {
    let token = 'tok-1';
    const { service, factory, errors } = makeService({ authToken: () => token });
    service.connect();
    factory.latest.open(JSON_PROTOCOL);
    factory.latest.receive({ type: 'error', code: 'UNAUTHORIZED', message: 'token expired' });
    factory.latest.drop(4001);
    vi.advanceTimersByTime(1000 + 2000 + 4000);
    expect(factory.count).toBe(1);
    expect(errors.filter((e) => e.message.includes('waiting for a new token'))).toHaveLength(1);

    token = 'tok-2';
    vi.advanceTimersByTime(8000);
    expect(factory.count).toBe(2);
    expect(factory.latest.protocols).toEqual([JSON_PROTOCOL, 'bearer.tok-2']);
    factory.latest.open(JSON_PROTOCOL);
    expect(service.isConnected()).toBe(true);
  });

  it('refused for having no token (close 4001), it opens no socket until the provider has one, and polls meanwhile', () => {
    let token: string | null = null;
    const { service, factory, errors } = makeService({ authToken: () => token, maxReconnectAttempts: 3 });
    const states: string[] = [];
    service.onConnectionChange((s) => states.push(s));
    service.connect();
    expect(factory.latest.protocols).toBeUndefined();
    // The edge accepts the upgrade, says why (no `connected`), then closes.
    factory.latest.openOnly(JSON_PROTOCOL);
    factory.latest.receive({ type: 'error', code: 'UNAUTHORIZED', message: 'A token is required' });
    factory.latest.drop(4001);
    vi.advanceTimersByTime(1000 + 2000 + 4000 + 8000);
    expect(factory.count).toBe(1);
    expect(errors.filter((e) => e.message.includes('the edge requires a token'))).toHaveLength(1);
    expect(service.getMetrics().pollingFallback).toBe(true);
    expect(states).not.toContain('OPEN');

    token = 'tok-1';
    vi.advanceTimersByTime(16_000);
    expect(factory.count).toBe(2);
    expect(factory.latest.protocols).toEqual([JSON_PROTOCOL, 'bearer.tok-1']);
    factory.latest.open(JSON_PROTOCOL);
    expect(service.isConnected()).toBe(true);
    expect(service.getMetrics().pollingFallback).toBe(false);
  });

  it('UNSUPPORTED_ACTION from an edge without AUTH_MODE=jwt is a refresh failure too', () => {
    const { service, factory, errors } = makeService({ authToken: () => 'tok-1' });
    service.connect();
    factory.latest.open(JSON_PROTOCOL);
    service.refreshToken('tok-2');
    factory.latest.receive({ type: 'error', code: 'UNSUPPORTED_ACTION', message: 'token refresh needs AUTH_MODE=jwt' });
    expect(errors.map((e) => [e.category, e.code, e.message])).toEqual([
      ['CONNECTION', 'UNSUPPORTED_ACTION', 'token refresh failed: token refresh needs AUTH_MODE=jwt'],
    ]);
  });
});

describe('WebSocketService handshake on MessagePack', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is connected only on the binary connected greeting, and only then sends a binary subscribe', async () => {
    const { service, factory } = makeService({ wireFormat: 'msgpack' });
    service.subscribe(['AAPL']);
    await flushMicrotasks();
    factory.latest.openOnly(MSGPACK);
    await flushMicrotasks();
    expect(service.isConnected()).toBe(false);
    expect(factory.latest.sent).toEqual([]);

    factory.latest.greet({ clientId: 'mp-1', edgeId: 'edge-mp' });
    expect(service.isConnected()).toBe(true);
    expect(factory.latest.sent.every((f) => f instanceof Uint8Array)).toBe(true);
    expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL'] }]);
    expect(service.getMetrics()).toMatchObject({ wireFormat: 'msgpack', clientId: 'mp-1', edgeId: 'edge-mp', connectionCount: 1 });
  });

  it('a refusal on a MessagePack connection (JSON error, close 1013) never reports connected', () => {
    const { service, factory, errors } = makeService({ wireFormat: 'msgpack' });
    const states: string[] = [];
    service.onConnectionChange((s) => states.push(s));
    service.subscribe(['AAPL']);
    factory.latest.refuse('RATE_LIMIT_EXCEEDED', 1013, MSGPACK);
    expect(states).not.toContain('OPEN');
    expect(factory.sockets[0].sent).toEqual([]);
    expect(errors.map((e) => [e.category, e.code])).toEqual([
      ['CONNECTION', 'RATE_LIMIT_EXCEEDED'],
      ['CONNECTION', 'TRY_AGAIN_LATER'],
    ]);
    expect(service.getMetrics()).toMatchObject({ connectionCount: 0, reconnectAttempts: 0, connectionState: 'RECONNECTING' });
  });
});
