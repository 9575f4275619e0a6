import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocketFactory, flushMicrotasks, priceUpdate } from '../test/FakeWebSocket';
import type { SubscribeMessage } from '../types/messages';
import {
  ConnectionState,
  WebSocketService,
  type WebSocketConfig,
  type WebSocketServiceError,
} from './WebSocketService';

const URL = 'ws://edge.test/ws';

function makeService(config: Partial<WebSocketConfig> = {}, random: () => number = () => 0.5) {
  const factory = new FakeSocketFactory();
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: 'visible' });
  const service = new WebSocketService(
    { url: URL, heartbeatInterval: 0, ...config },
    { createSocket: factory.create, random, windowTarget: win, documentTarget: doc },
  );
  return { service, factory, win, doc };
}

describe('WebSocketService', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('goes CLOSED -> CONNECTING -> OPEN -> RECONNECTING -> OPEN -> CLOSING -> CLOSED', () => {
    const { service, factory } = makeService();
    const states: ConnectionState[] = [];
    service.onConnectionChange((s) => states.push(s));
    expect(service.getConnectionState()).toBe(ConnectionState.CLOSED);

    service.connect();
    expect(service.getConnectionState()).toBe(ConnectionState.CONNECTING);
    expect(factory.latest.url).toBe(URL);
    factory.latest.open();
    expect(service.isConnected()).toBe(true);

    factory.latest.drop();
    expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);
    expect(service.isConnected()).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(factory.count).toBe(2);
    factory.latest.open();

    service.disconnect();
    expect(service.getConnectionState()).toBe(ConnectionState.CLOSED);
    expect(factory.latest.closedWith?.code).toBe(1000);
    expect(states).toEqual([
      ConnectionState.CONNECTING,
      ConnectionState.OPEN,
      ConnectionState.RECONNECTING,
      ConnectionState.OPEN,
      ConnectionState.CLOSING,
      ConnectionState.CLOSED,
    ]);
  });

  it('connect() is idempotent while connecting or open', () => {
    const { service, factory } = makeService();
    service.connect();
    service.connect();
    factory.latest.open();
    service.connect();
    expect(factory.count).toBe(1);
  });

  it('waits 1, 2, 4, 8, 16, 30, 30 s between failed attempts (jitter neutral)', () => {
    const { service, factory } = makeService();
    service.connect();
    factory.latest.fail();
    const waits: number[] = [];
    for (const expected of [1000, 2000, 4000, 8000, 16000, 30000, 30000]) {
      const before = factory.count;
      vi.advanceTimersByTime(expected - 1);
      expect(factory.count).toBe(before);
      vi.advanceTimersByTime(1);
      expect(factory.count).toBe(before + 1);
      waits.push(expected);
      factory.latest.fail();
    }
    expect(waits).toHaveLength(7);
    expect(service.getMetrics().reconnectAttempts).toBe(7);
  });

  it('jitters each wait within its bounds', () => {
    const low = makeService({}, () => 0);
    low.service.connect();
    low.factory.latest.fail();
    vi.advanceTimersByTime(799);
    expect(low.factory.count).toBe(1);
    vi.advanceTimersByTime(1);
    expect(low.factory.count).toBe(2);

    const high = makeService({}, () => 0.99999);
    high.service.connect();
    high.factory.latest.fail();
    vi.advanceTimersByTime(1199);
    expect(high.factory.count).toBe(1);
    vi.advanceTimersByTime(1);
    expect(high.factory.count).toBe(2);
  });

  it('reports polling mode after maxReconnectAttempts failures, keeps retrying, and leaves it on success', () => {
    const { service, factory } = makeService({ reconnectInterval: 10, maxReconnectDelay: 100 });
    const fallbacks: boolean[] = [];
    service.onConnectionChange((_s, change) => fallbacks.push(change.pollingFallback));
    service.connect();
    factory.latest.fail();
    for (let attempt = 1; attempt <= 9; attempt++) {
      vi.advanceTimersByTime(100);
      factory.latest.fail();
      expect(service.isPollingFallback()).toBe(false);
    }
    vi.advanceTimersByTime(100);
    factory.latest.fail(); // the 10th reconnection attempt
    expect(service.isPollingFallback()).toBe(true);
    expect(service.getMetrics().pollingFallback).toBe(true);
    expect(fallbacks[fallbacks.length - 1]).toBe(true);
    expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);

    vi.advanceTimersByTime(100);
    expect(factory.count).toBe(12);
    factory.latest.open();
    expect(service.isPollingFallback()).toBe(false);
    expect(service.getMetrics().reconnectAttempts).toBe(0);
    expect(fallbacks[fallbacks.length - 1]).toBe(false);
  });

  it('with auto-reconnect off, a lost connection stays CLOSED and reports polling mode', () => {
    const { service, factory } = makeService({ enableAutoReconnect: false });
    service.connect();
    factory.latest.open();
    factory.latest.drop();
    vi.advanceTimersByTime(60_000);
    expect(factory.count).toBe(1);
    expect(service.getConnectionState()).toBe(ConnectionState.CLOSED);
    expect(service.isPollingFallback()).toBe(true);
  });

  it('reconnects at once when the browser comes back online or the tab becomes visible', () => {
    const { service, factory, win, doc } = makeService();
    service.connect();
    factory.latest.open();
    factory.latest.drop();
    vi.advanceTimersByTime(1000);
    factory.latest.fail(); // now waiting 2 s
    expect(factory.count).toBe(2);
    win.dispatchEvent(new Event('online'));
    expect(factory.count).toBe(3);
    factory.latest.fail();

    doc.visibilityState = 'hidden';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(factory.count).toBe(3);
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    expect(factory.count).toBe(4);
  });

  it('does not reconnect after disconnect()', () => {
    const { service, factory, win } = makeService();
    service.connect();
    factory.latest.open();
    service.disconnect();
    vi.advanceTimersByTime(120_000);
    win.dispatchEvent(new Event('online'));
    expect(factory.count).toBe(1);
    service.subscribe(['AAPL']);
    expect(factory.count).toBe(1);
  });

  it('reconnect() replaces the connection immediately', () => {
    const { service, factory } = makeService();
    service.connect();
    const first = factory.latest;
    first.open();
    service.reconnect();
    expect(factory.count).toBe(2);
    expect(first.closedWith?.code).toBe(1000);
    expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);
    first.drop(); // late events of the old socket are ignored
    factory.latest.open();
    expect(service.isConnected()).toBe(true);
  });

  describe('subscriptions', () => {
    it('sends one subscribe for all symbols requested in the same tick', async () => {
      const { service, factory } = makeService();
      service.connect();
      factory.latest.open();
      service.subscribe(['aapl']);
      service.subscribe(['MSFT', 'GOOGL']);
      await flushMicrotasks();
      expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL', 'MSFT', 'GOOGL'] }]);
      expect(service.getActiveSubscriptions()).toEqual(new Set(['AAPL', 'MSFT', 'GOOGL']));
    });

    it('connects on the first subscribe and sends it on open', async () => {
      const { service, factory } = makeService();
      service.subscribe(['AAPL']);
      expect(service.getConnectionState()).toBe(ConnectionState.CONNECTING);
      await flushMicrotasks();
      factory.latest.open();
      expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL'] }]);
    });

    it('counts references: a symbol is unsubscribed only when its last holder lets go', async () => {
      const { service, factory } = makeService();
      service.connect();
      factory.latest.open();
      service.subscribe(['AAPL']);
      service.subscribe(['AAPL']);
      await flushMicrotasks();
      service.unsubscribe(['AAPL']);
      await flushMicrotasks();
      expect(factory.latest.sentActions('unsubscribe')).toEqual([]);
      expect(service.getActiveSubscriptions().has('AAPL')).toBe(true);
      service.unsubscribe(['AAPL']);
      await flushMicrotasks();
      expect(factory.latest.sentActions('unsubscribe')).toEqual([{ action: 'unsubscribe', symbols: ['AAPL'] }]);
      expect(service.getActiveSubscriptions().size).toBe(0);
      service.unsubscribe(['AAPL']); // extra unsubscribe is harmless
      await flushMicrotasks();
      expect(factory.latest.sentActions('unsubscribe')).toHaveLength(1);
    });

    it('sends nothing for a symbol added and removed within one tick', async () => {
      const { service, factory } = makeService();
      service.connect();
      factory.latest.open();
      service.subscribe(['AAPL']);
      service.unsubscribe(['AAPL']);
      await flushMicrotasks();
      expect(factory.latest.sentMessages()).toEqual([]);
    });

    it('resubscribes everything after a reconnect with since = last seq per symbol', async () => {
      const { service, factory } = makeService();
      service.connect();
      factory.latest.open();
      service.subscribe(['AAPL', 'MSFT', 'TSLA']);
      await flushMicrotasks();
      factory.latest.receive(priceUpdate('AAPL', 190.1, 41));
      factory.latest.receive(priceUpdate('AAPL', 190.2, 42));
      factory.latest.receive({ type: 'batch_update', updates: [{ symbol: 'MSFT', data: priceUpdate('MSFT', 410, 7).data }] });
      factory.latest.receive(priceUpdate('AAPL', 189.0, 40)); // an older duplicate does not move since back
      factory.latest.drop();

      vi.advanceTimersByTime(1000);
      factory.latest.open();
      const resubscribe = factory.latest.sentActions('subscribe') as SubscribeMessage[];
      expect(resubscribe).toEqual([
        { action: 'subscribe', symbols: ['AAPL', 'MSFT', 'TSLA'], since: { AAPL: 42, MSFT: 7 } },
      ]);
      expect(service.getLastQuote('AAPL')?.price).toBe(190.2);
    });

    it('does not resubscribe symbols dropped while offline, and subscribes those added while offline', async () => {
      const { service, factory } = makeService();
      service.connect();
      factory.latest.open();
      service.subscribe(['AAPL', 'MSFT']);
      await flushMicrotasks();
      factory.latest.drop();
      service.unsubscribe(['MSFT']);
      service.subscribe(['NVDA']);
      await flushMicrotasks();
      vi.advanceTimersByTime(1000);
      factory.latest.open();
      expect(factory.latest.sentMessages()).toEqual([{ action: 'subscribe', symbols: ['AAPL', 'NVDA'] }]);
    });

    it('splits large subscriptions into frames of maxSymbolsPerMessage', async () => {
      const { service, factory } = makeService({ maxSymbolsPerMessage: 2 });
      service.connect();
      factory.latest.open();
      service.subscribe(['A', 'B', 'C', 'D', 'E']);
      await flushMicrotasks();
      expect(factory.latest.sentActions('subscribe').map((m) => (m as SubscribeMessage).symbols)).toEqual([
        ['A', 'B'],
        ['C', 'D'],
        ['E'],
      ]);
    });

    it('reports rejected symbols through onError with their code', async () => {
      const { service, factory } = makeService();
      const errors: WebSocketServiceError[] = [];
      service.onError((e) => errors.push(e));
      service.connect();
      factory.latest.open();
      service.subscribe(['AAPL', 'NOPE']);
      await flushMicrotasks();
      factory.latest.receive({
        type: 'subscribed',
        symbols: ['AAPL'],
        rejected: [{ symbol: 'NOPE', code: 'INVALID_SYMBOL', reason: 'unknown symbol NOPE' }],
      });
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ code: 'INVALID_SYMBOL', symbol: 'NOPE', category: 'MESSAGE' });
      expect(service.getSubscription('AAPL')?.status).toBe('active');
      expect(service.getSubscription('NOPE')?.status).toBe('rejected');
      // An invalid symbol is not retried on the next connection.
      factory.latest.drop();
      vi.advanceTimersByTime(1000);
      factory.latest.open();
      expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL'] }]);
    });
  });

  describe('offline queue', () => {
    it('buffers at most messageQueueSize messages while disconnected and sends them in order on open', () => {
      const { service, factory } = makeService({ messageQueueSize: 3 });
      service.connect();
      for (let i = 1; i <= 5; i++) {
        expect(service.send({ action: 'ping', timestamp: `2026-01-01T00:00:0${i}Z` })).toBe(false);
      }
      expect(service.getMetrics()).toMatchObject({ queuedMessages: 3, droppedMessages: 2 });
      factory.latest.open();
      expect(factory.latest.sentMessages()).toEqual([
        { action: 'ping', timestamp: '2026-01-01T00:00:03Z' },
        { action: 'ping', timestamp: '2026-01-01T00:00:04Z' },
        { action: 'ping', timestamp: '2026-01-01T00:00:05Z' },
      ]);
      expect(service.getMetrics().queuedMessages).toBe(0);
      expect(service.send({ action: 'ping', timestamp: 'now' })).toBe(true);
    });
  });

  describe('handlers', () => {
    it('each on* returns a function that removes exactly that handler, once', () => {
      const { service, factory } = makeService();
      const a = vi.fn();
      const b = vi.fn();
      const offA = service.onMessage(a);
      service.onMessage(b);
      const states = vi.fn();
      const offStates = service.onConnectionChange(states);
      const errors = vi.fn();
      const offErrors = service.onError(errors);

      service.connect();
      factory.latest.openOnly();
      factory.latest.receive({ type: 'connected', clientId: 'c1' });
      expect(a).toHaveBeenCalledTimes(1);
      expect(b).toHaveBeenCalledTimes(1);

      offA();
      offA();
      offStates();
      offErrors();
      factory.latest.receive({ type: 'connected', clientId: 'c1' });
      factory.latest.receiveRaw('not json');
      factory.latest.drop();
      expect(a).toHaveBeenCalledTimes(1);
      expect(b).toHaveBeenCalledTimes(2);
      expect(states).toHaveBeenCalledTimes(2); // CONNECTING, OPEN: nothing after removal
      expect(errors).not.toHaveBeenCalled();
    });

    it('a throwing handler does not stop the others', () => {
      const { service, factory } = makeService();
      const good = vi.fn();
      const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
      service.onMessage(() => {
        throw new Error('boom');
      });
      service.onMessage(good);
      service.connect();
      factory.latest.open();
      factory.latest.receive(priceUpdate('AAPL', 1, 1));
      expect(good).toHaveBeenCalledTimes(2); // the connected greeting, then the update
      expect(spy).toHaveBeenCalled();
    });

    it('reports unreadable frames as DATA errors and keeps the connection', () => {
      const { service, factory } = makeService();
      const errors: WebSocketServiceError[] = [];
      service.onError((e) => errors.push(e));
      service.connect();
      factory.latest.open();
      factory.latest.receiveRaw('{oops');
      factory.latest.receiveRaw(JSON.stringify({ no: 'type' }));
      expect(errors.map((e) => e.category)).toEqual(['DATA', 'DATA']);
      expect(service.isConnected()).toBe(true);
      expect(service.getMetrics().errorCount).toBe(2);
    });

    it('passes server error frames to onError with code and symbol', () => {
      const { service, factory } = makeService();
      const errors: WebSocketServiceError[] = [];
      service.onError((e) => errors.push(e));
      service.connect();
      factory.latest.open();
      factory.latest.receive({ type: 'error', code: 'RATE_LIMIT_EXCEEDED', message: 'slow down' });
      factory.latest.receive({ type: 'error', code: 'SOURCE_UNAVAILABLE', message: 'stale', symbol: 'AAPL' });
      expect(errors.map((e) => [e.code, e.symbol, e.category])).toEqual([
        ['RATE_LIMIT_EXCEEDED', undefined, 'MESSAGE'],
        ['SOURCE_UNAVAILABLE', 'AAPL', 'DATA'],
      ]);
    });
  });

  describe('heartbeat and metrics', () => {
    it('pings every heartbeatInterval and measures latency from the echoed timestamp', () => {
      const { service, factory } = makeService({ heartbeatInterval: 5000 });
      service.connect();
      factory.latest.open();
      const pings = factory.latest.sentActions('ping');
      expect(pings).toHaveLength(1);
      const echo = (pings[0] as { timestamp: string }).timestamp;
      vi.advanceTimersByTime(42);
      factory.latest.receive({ type: 'pong', timestamp: new Date().toISOString(), echo });
      expect(service.getLatency()).toBe(42);
      vi.advanceTimersByTime(5000 - 42);
      expect(factory.latest.sentActions('ping')).toHaveLength(2);
      const second = (factory.latest.sentActions('ping')[1] as { timestamp: string }).timestamp;
      vi.advanceTimersByTime(18);
      factory.latest.receive({ type: 'pong', echo: second });
      expect(service.getLatency()).toBe(18);
      expect(service.getMetrics().averageLatency).toBe(30);
    });

    it('drops a silent connection after the heartbeat timeout and reconnects', () => {
      const { service, factory } = makeService({ heartbeatInterval: 1000, heartbeatTimeout: 2500 });
      const errors: string[] = [];
      service.onError((e) => errors.push(e.message));
      service.connect();
      factory.latest.open();
      vi.advanceTimersByTime(3000);
      expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);
      expect(factory.latest.closedWith?.code).toBe(4000);
      expect(errors.some((m) => m.includes('heartbeat'))).toBe(true);
      vi.advanceTimersByTime(1000);
      expect(factory.count).toBe(2);
    });

    it('fills the seed ConnectionMetrics', async () => {
      const { service, factory } = makeService();
      service.connect();
      factory.latest.openOnly();
      service.subscribe(['AAPL', 'MSFT']);
      await flushMicrotasks();
      factory.latest.receive({ type: 'connected', clientId: 'abc', edgeId: 'edge-1', heartbeatIntervalMs: 15000 });
      factory.latest.receive(priceUpdate('AAPL', 190, 1));
      const m = service.getMetrics();
      expect(m).toMatchObject({
        connectionState: 'OPEN',
        messageCount: 2,
        errorCount: 0,
        reconnectAttempts: 0,
        activeSubscriptions: 2,
        clientId: 'abc',
        edgeId: 'edge-1',
      });
      expect(m.connectedAt).toBeInstanceOf(Date);
      expect(m.lastMessageAt).toBeInstanceOf(Date);
      expect(service.getLastMessageTime()).toEqual(m.lastMessageAt);
    });
  });

  it('asks again for every symbol (with since) once after unreadable frames', async () => {
    const { service, factory } = makeService();
    service.connect();
    factory.latest.open();
    service.subscribe(['AAPL', 'MSFT']);
    await flushMicrotasks();
    factory.latest.receive(priceUpdate('AAPL', 10, 7));
    factory.latest.receiveRaw('{"type":"price_update","symbol":"MSFT","data":{"pri');
    factory.latest.receiveRaw('garbage');
    vi.advanceTimersByTime(999);
    expect(factory.latest.sentActions('subscribe')).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(factory.latest.sentActions('subscribe')).toEqual([
      { action: 'subscribe', symbols: ['AAPL', 'MSFT'] },
      { action: 'subscribe', symbols: ['AAPL', 'MSFT'], since: { AAPL: 7 } },
    ]);
  });

  it('sends a bearer token as a subprotocol entry, read afresh at every connection', () => {
    let token = 'tok-1';
    const { service, factory } = makeService({ authToken: () => token });
    service.connect();
    expect(factory.latest.protocols).toEqual(['stocktracker.v1.json', 'bearer.tok-1']);
    factory.latest.fail();
    token = 'tok-2';
    vi.advanceTimersByTime(1000);
    expect(factory.latest.protocols).toEqual(['stocktracker.v1.json', 'bearer.tok-2']);

    const anonymous = makeService();
    anonymous.service.connect();
    expect(anonymous.factory.latest.protocols).toBeUndefined();
  });

  it('names the edge close code in the error it reports', () => {
    const { service, factory } = makeService();
    const errors: WebSocketServiceError[] = [];
    service.onError((e) => errors.push(e));
    service.connect();
    factory.latest.open();
    factory.latest.drop(4008);
    expect(errors.at(-1)?.message).toContain('close 4008 SLOW_CONSUMER');
    vi.advanceTimersByTime(1000);
    // (after 4001 the service waits for a token: the last close of this test)
    factory.latest.drop(4001);
    expect(errors.at(-1)).toMatchObject({ category: 'CONNECTION', code: 'UNAUTHORIZED' });
    expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);
  });

  it('closed for holding no subscription (4009), it opens no socket until something is subscribed', () => {
    const { service, factory } = makeService();
    const errors: WebSocketServiceError[] = [];
    service.onError((e) => errors.push(e));
    service.connect();
    factory.latest.open();
    factory.latest.drop(4009);
    vi.advanceTimersByTime(60_000);
    expect(factory.count).toBe(1);
    expect(service.getConnectionState()).toBe(ConnectionState.CLOSED);
    expect(errors).toEqual([]);
    service.subscribe(['AAPL']);
    expect(factory.count).toBe(2);
  });

  it('closed with 4009 while it holds a subscription, it reconnects as after any loss', () => {
    const { service, factory } = makeService();
    service.connect();
    factory.latest.open();
    service.subscribe(['AAPL']);
    factory.latest.drop(4009);
    expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);
    vi.advanceTimersByTime(1000);
    expect(factory.count).toBe(2);
  });

  it('measures feed delay from ingestedAt to receipt', async () => {
    const { service, factory } = makeService();
    service.connect();
    factory.latest.open();
    service.subscribe(['AAPL']);
    await flushMicrotasks();
    const now = Date.now();
    for (const [seq, ageMs] of [[1, 100], [2, 300], [3, 200], [4, 1000]]) {
      factory.latest.receive({
        type: 'price_update',
        symbol: 'AAPL',
        data: { symbol: 'AAPL', price: 1, seq, ingestedAt: new Date(now - ageMs).toISOString() },
      });
    }
    expect(service.getMetrics().dataLatency).toEqual({ count: 4, average: 400, p50: 200, p95: 1000, max: 1000 });
  });

  describe('handshake: connected only on the edge\'s connected message', () => {
    it('an open socket without connected is not OPEN, sends nothing and keeps the backoff', async () => {
      const { service, factory } = makeService({ heartbeatInterval: 1000 });
      const states: ConnectionState[] = [];
      service.onConnectionChange((s) => states.push(s));
      service.subscribe(['AAPL']);
      service.send({ action: 'ping', timestamp: 'queued' });
      factory.latest.fail();
      vi.advanceTimersByTime(1000);
      factory.latest.fail();
      vi.advanceTimersByTime(2000);
      expect(service.getMetrics().reconnectAttempts).toBe(2);

      factory.latest.openOnly();
      await flushMicrotasks();
      vi.advanceTimersByTime(1000);
      expect(service.isConnected()).toBe(false);
      expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);
      expect(states).not.toContain(ConnectionState.OPEN);
      expect(factory.latest.sent).toEqual([]); // no subscribe, no queued message, no heartbeat ping
      expect(service.getMetrics()).toMatchObject({ reconnectAttempts: 2, queuedMessages: 1, connectionCount: 0, connectedAt: null });

      factory.latest.greet({ clientId: 'c-9' });
      expect(service.isConnected()).toBe(true);
      expect(service.getMetrics()).toMatchObject({ reconnectAttempts: 0, queuedMessages: 0, connectionCount: 1, clientId: 'c-9' });
      expect(factory.latest.sentMessages().map((m) => m.action)).toEqual(['subscribe', 'ping', 'ping']);
      expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL'] }]);
    });

    it('a refusal (open, error UNAUTHORIZED, close 4001) never reports connected', () => {
      const { service, factory } = makeService();
      const states: ConnectionState[] = [];
      const errors: WebSocketServiceError[] = [];
      service.onConnectionChange((s) => states.push(s));
      service.onError((e) => errors.push(e));
      service.subscribe(['AAPL']);
      factory.latest.refuse('UNAUTHORIZED', 4001);
      expect(states).toEqual([ConnectionState.CONNECTING, ConnectionState.RECONNECTING]);
      expect(factory.latest.sent).toEqual([]);
      expect(errors[0]).toMatchObject({ category: 'CONNECTION', code: 'UNAUTHORIZED' });
      expect(service.getMetrics()).toMatchObject({ connectionCount: 0, connectedAt: null });
    });

    it('repeated refusals (close 1013, a connection cap) back off and reach polling instead of resetting', () => {
      const { service, factory } = makeService({ maxReconnectAttempts: 3 });
      service.connect();
      factory.latest.refuse('RATE_LIMIT_EXCEEDED', 1013);
      for (const wait of [1000, 2000, 4000]) {
        const before = factory.count;
        vi.advanceTimersByTime(wait - 1);
        expect(factory.count).toBe(before);
        vi.advanceTimersByTime(1);
        expect(factory.count).toBe(before + 1);
        factory.latest.refuse('RATE_LIMIT_EXCEEDED', 1013);
      }
      expect(service.getMetrics()).toMatchObject({ reconnectAttempts: 3, pollingFallback: true, connectionCount: 0 });

      vi.advanceTimersByTime(8000);
      factory.latest.open();
      expect(service.getMetrics()).toMatchObject({ reconnectAttempts: 0, pollingFallback: false, connectionCount: 1 });
    });

    it('closes a socket that gets no connected within handshakeTimeout and retries on the usual schedule', () => {
      const { service, factory } = makeService({ handshakeTimeout: 3000 });
      const errors: WebSocketServiceError[] = [];
      service.onError((e) => errors.push(e));
      service.connect();
      const silent = factory.latest;
      silent.openOnly();
      vi.advanceTimersByTime(2999);
      expect(silent.closedWith).toBeNull();
      vi.advanceTimersByTime(1);
      expect(silent.closedWith?.code).toBe(4002);
      expect(errors.at(-1)).toMatchObject({ category: 'CONNECTION', code: 'HANDSHAKE_TIMEOUT' });
      expect(service.getConnectionState()).toBe(ConnectionState.RECONNECTING);
      silent.greet(); // too late: the old socket is ignored
      expect(service.isConnected()).toBe(false);

      vi.advanceTimersByTime(1000);
      expect(factory.count).toBe(2);
      expect(service.getMetrics().reconnectAttempts).toBe(1);
      factory.latest.open();
      vi.advanceTimersByTime(10_000);
      expect(service.isConnected()).toBe(true); // the timer stops once connected
      expect(factory.latest.closedWith).toBeNull();
    });

    it('waits 5 s for connected by default', () => {
      const { service, factory } = makeService();
      expect(service.config.handshakeTimeout).toBe(5000);
      service.connect();
      factory.latest.openOnly();
      vi.advanceTimersByTime(4999);
      expect(factory.latest.closedWith).toBeNull();
      vi.advanceTimersByTime(1);
      expect(factory.latest.closedWith?.code).toBe(4002);
      expect(() => makeService({ handshakeTimeout: -1 })).toThrow(/handshakeTimeout must be >= 0/);
    });

    it('counts connected messages, not opens, in connectionCount', () => {
      const { service, factory } = makeService();
      service.connect();
      factory.latest.open();
      factory.latest.drop();
      vi.advanceTimersByTime(1000);
      factory.latest.refuse('RATE_LIMIT_EXCEEDED', 1013);
      vi.advanceTimersByTime(2000);
      factory.latest.open();
      expect(factory.count).toBe(3);
      expect(service.getMetrics().connectionCount).toBe(2);
    });
  });

  it('rejects an invalid configuration with a clear message', () => {
    expect(() => new WebSocketService({ url: 'http://x', reconnectInterval: 0 })).toThrow(
      /url must start with ws:\/\/.*reconnectInterval must be > 0/,
    );
  });

  it('getInstance returns one service per page', () => {
    WebSocketService.setInstance(null);
    const a = WebSocketService.getInstance({ url: URL });
    const b = WebSocketService.getInstance({ url: 'ws://other/ws' });
    expect(a).toBe(b);
    expect(a.config.url).toBe(URL);
    WebSocketService.setInstance(null);
  });
});
