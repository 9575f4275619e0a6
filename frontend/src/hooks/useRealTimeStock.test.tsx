import { act, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { feedStatus } from '../services/feedStatus';
import { ConnectionState, WebSocketService } from '../services/WebSocketService';
import { FakeSocketFactory, flushMicrotasks, priceUpdate, quote } from '../test/FakeWebSocket';
import type { StockQuote } from '../types/messages';
import { useRealTimeStock } from './useRealTimeStock';

let factory: FakeSocketFactory;
let service: WebSocketService;
let fetchMock: ReturnType<typeof vi.fn>;
let restPrice: number;
let restSeq: number;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeEach(() => {
  vi.useFakeTimers();
  factory = new FakeSocketFactory();
  service = new WebSocketService(
    { url: 'ws://edge.test/ws', reconnectInterval: 10, maxReconnectDelay: 100, heartbeatInterval: 0 },
    { createSocket: factory.create, random: () => 0.5, windowTarget: new EventTarget(), documentTarget: null },
  );
  WebSocketService.setInstance(service);
  feedStatus.reset();
  restPrice = 100;
  restSeq = 1;
  fetchMock = vi.fn(async (url: string) => {
    if (String(url).startsWith('/api/quotes?symbols=')) {
      const symbols = decodeURIComponent(String(url).split('=')[1]).split(',');
      return json(symbols.map((s) => quote(s, restPrice, restSeq)));
    }
    const symbol = decodeURIComponent(String(url).split('/').pop() ?? '');
    if (symbol === 'NOPE') return json({ code: 'NOT_FOUND', message: 'Unknown symbol NOPE' }, 404);
    return json(quote(symbol, restPrice, restSeq));
  });
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  WebSocketService.setInstance(null);
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function advance(ms: number) {
  await act(async () => {
    await vi.advanceTimersByTimeAsync(ms);
  });
}

async function settle() {
  await act(async () => {
    await flushMicrotasks();
  });
}

function quoteCalls(): number {
  return fetchMock.mock.calls.filter(([u]) => String(u).startsWith('/api/quotes/')).length;
}

describe('useRealTimeStock', () => {
  it('subscribes on mount, shows WebSocket updates for its symbol only, and unsubscribes on unmount', async () => {
    const updates: StockQuote[] = [];
    const { result, unmount } = renderHook(() =>
      useRealTimeStock({ symbol: 'aapl', enableWebSocket: true, onUpdate: (q) => updates.push(q) }),
    );
    await settle();
    act(() => factory.latest.open());
    await settle();
    expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL'] }]);
    expect(result.current.isConnected).toBe(true);
    expect(result.current.isRealTime).toBe(true);
    expect(result.current.connectionState).toBe(ConnectionState.OPEN);

    act(() => factory.latest.receive(priceUpdate('AAPL', 190.5, 10, true)));
    act(() => factory.latest.receive(priceUpdate('MSFT', 410, 3)));
    act(() => factory.latest.receive(priceUpdate('AAPL', 189, 9))); // older: ignored
    expect(result.current.data?.price).toBe(190.5);
    expect(result.current.loading).toBe(false);
    expect(result.current.source).toBe('ws');
    expect(result.current.lastUpdate).toBeInstanceOf(Date);
    act(() =>
      factory.latest.receive({ type: 'batch_update', updates: [{ symbol: 'AAPL', data: quote('AAPL', 191, 11) }] }),
    );
    expect(result.current.data?.price).toBe(191);
    // seq 1 came over HTTP at mount, before the socket opened.
    expect(updates.map((q) => q.seq)).toEqual([1, 10, 11]);

    unmount();
    await settle();
    expect(factory.latest.sentActions('unsubscribe')).toEqual([{ action: 'unsubscribe', symbols: ['AAPL'] }]);
  });

  it('keeps a symbol shared by two components subscribed until both unmount', async () => {
    const first = renderHook(() => useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true }));
    const second = renderHook(() => useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true }));
    const other = renderHook(() => useRealTimeStock({ symbol: 'MSFT', enableWebSocket: true }));
    await settle();
    act(() => factory.latest.open());
    await settle();
    expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL', 'MSFT'] }]);

    act(() => factory.latest.receive(priceUpdate('AAPL', 200, 5)));
    expect(first.result.current.data?.price).toBe(200);
    expect(second.result.current.data?.price).toBe(200);

    first.unmount();
    await settle();
    expect(factory.latest.sentActions('unsubscribe')).toEqual([]);
    act(() => factory.latest.receive(priceUpdate('AAPL', 201, 6)));
    expect(second.result.current.data?.price).toBe(201);

    second.unmount();
    await settle();
    expect(factory.latest.sentActions('unsubscribe')).toEqual([{ action: 'unsubscribe', symbols: ['AAPL'] }]);
    expect(service.getActiveSubscriptions()).toEqual(new Set(['MSFT']));
    other.unmount();
  });

  it('a component mounted later starts from the latest quote the socket already has', async () => {
    const first = renderHook(() => useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true }));
    await settle();
    act(() => factory.latest.open());
    await settle();
    act(() => factory.latest.receive(priceUpdate('AAPL', 250, 8)));
    const late = renderHook(() => useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true }));
    expect(late.result.current.data?.price).toBe(250);
    expect(late.result.current.loading).toBe(false);
    first.unmount();
    late.unmount();
  });

  it('falls back to polling after 10 failed reconnects and returns to real time when the socket recovers', async () => {
    const { result } = renderHook(() =>
      useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true, pollingInterval: 30_000 }),
    );
    await settle();
    // Not connected at mount: one HTTP fetch so the row is not blank.
    expect(quoteCalls()).toBe(1);
    act(() => factory.latest.fail());
    for (let attempt = 1; attempt <= 9; attempt++) {
      await advance(100);
      act(() => factory.latest.fail());
      expect(result.current.isRealTime).toBe(true);
      expect(result.current.connectionState).toBe(ConnectionState.RECONNECTING);
      expect(result.current.isPolling).toBe(false);
    }
    expect(quoteCalls()).toBe(1);
    await advance(100);
    act(() => factory.latest.fail()); // 10th failed reconnection attempt
    await settle();
    expect(result.current.isRealTime).toBe(false);
    expect(result.current.isPolling).toBe(true);
    expect(quoteCalls()).toBe(2); // polls at once

    restPrice = 105;
    restSeq = 2;
    const socketsBefore = factory.count;
    await advance(30_000);
    expect(quoteCalls()).toBe(3);
    expect(result.current.data?.price).toBe(105);
    expect(result.current.source).toBe('poll');
    // The socket kept trying in the background (one attempt in flight).
    expect(factory.count).toBe(socketsBefore + 1);

    act(() => factory.latest.open());
    await settle();
    expect(result.current.isRealTime).toBe(true);
    expect(result.current.isConnected).toBe(true);
    expect(result.current.isPolling).toBe(false);
    expect(factory.latest.sentActions('subscribe')).toEqual([{ action: 'subscribe', symbols: ['AAPL'] }]);
    act(() => factory.latest.receive(priceUpdate('AAPL', 106, 3, true)));
    expect(result.current.data?.price).toBe(106);
    expect(result.current.source).toBe('ws');

    await advance(120_000);
    expect(quoteCalls()).toBe(3); // no more polling
  });

  it('polls every pollingInterval when WebSocket is disabled, and never opens a socket', async () => {
    const { result, unmount } = renderHook(() =>
      useRealTimeStock({ symbol: 'MSFT', enableWebSocket: false, pollingInterval: 30_000 }),
    );
    await settle();
    expect(quoteCalls()).toBe(1);
    expect(result.current.isRealTime).toBe(false);
    expect(result.current.isPolling).toBe(true);
    expect(result.current.connectionState).toBe(ConnectionState.CLOSED);
    expect(result.current.data?.price).toBe(100);
    await advance(29_999);
    expect(quoteCalls()).toBe(1);
    await advance(1);
    expect(quoteCalls()).toBe(2);
    await advance(60_000);
    expect(quoteCalls()).toBe(4);
    expect(factory.count).toBe(0);
    unmount();
    await advance(60_000);
    expect(quoteCalls()).toBe(4);
  });

  it('rows polling at the same interval share one request per interval', async () => {
    const rows = ['AAPL', 'MSFT', 'NVDA'].map((symbol) =>
      renderHook(() => useRealTimeStock({ symbol, enableWebSocket: false, pollingInterval: 30_000 })),
    );
    await settle();
    const batch = () => fetchMock.mock.calls.filter(([u]) => String(u).startsWith('/api/quotes?symbols=')).length;
    expect(batch()).toBe(1);
    expect(quoteCalls()).toBe(0);
    expect(rows.map((r) => r.result.current.data?.symbol)).toEqual(['AAPL', 'MSFT', 'NVDA']);
    restSeq = 2;
    restPrice = 101;
    await advance(30_000);
    expect(batch()).toBe(2);
    expect(rows.every((r) => r.result.current.data?.price === 101)).toBe(true);
    rows.forEach((r) => r.unmount());
    await advance(60_000);
    expect(batch()).toBe(2);
  });

  it('does not poll when fallbackToPolling is false, even after the socket failed', async () => {
    const { result } = renderHook(() =>
      useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true, fallbackToPolling: false }),
    );
    await settle();
    act(() => factory.latest.fail());
    for (let i = 0; i < 10; i++) {
      await advance(100);
      act(() => factory.latest.fail());
    }
    expect(result.current.isRealTime).toBe(false);
    expect(result.current.isPolling).toBe(false);
    const calls = quoteCalls();
    await advance(90_000);
    expect(quoteCalls()).toBe(calls);
  });

  it('refetch() reads the REST API now', async () => {
    const { result } = renderHook(() => useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true }));
    await settle();
    act(() => factory.latest.open());
    await settle();
    restPrice = 123.45;
    restSeq = 50;
    await act(async () => {
      await result.current.refetch();
    });
    expect(result.current.data?.price).toBe(123.45);
  });

  it('reports an unknown symbol as an error', async () => {
    const errors: Error[] = [];
    const { result } = renderHook(() =>
      useRealTimeStock({ symbol: 'NOPE', enableWebSocket: false, onError: (e) => errors.push(e) }),
    );
    await settle();
    expect(result.current.error?.message).toBe('Unknown symbol NOPE');
    expect(result.current.loading).toBe(false);
    expect(result.current.data).toBeNull();
    expect(errors).toHaveLength(1);
  });

  it('moves its subscription when the symbol changes', async () => {
    const { result, rerender } = renderHook(({ symbol }) => useRealTimeStock({ symbol, enableWebSocket: true }), {
      initialProps: { symbol: 'AAPL' },
    });
    await settle();
    act(() => factory.latest.open());
    await settle();
    act(() => factory.latest.receive(priceUpdate('AAPL', 190, 4)));
    expect(result.current.data?.symbol).toBe('AAPL');

    rerender({ symbol: 'MSFT' });
    await settle();
    expect(result.current.data).toBeNull();
    expect(factory.latest.sentActions('unsubscribe')).toEqual([{ action: 'unsubscribe', symbols: ['AAPL'] }]);
    expect(factory.latest.sentActions('subscribe').at(-1)).toEqual({ action: 'subscribe', symbols: ['MSFT'] });
    act(() => factory.latest.receive(priceUpdate('AAPL', 191, 5)));
    expect(result.current.data).toBeNull();
    act(() => factory.latest.receive(priceUpdate('MSFT', 410, 9)));
    expect(result.current.data?.price).toBe(410);
  });

  it('asks over HTTP once when a subscribed symbol gets no snapshot', async () => {
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch')); // the fetch at mount fails
    const { result } = renderHook(() => useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true }));
    await settle();
    act(() => factory.latest.open());
    await settle();
    expect(quoteCalls()).toBe(1);
    expect(result.current.data).toBeNull();
    await advance(4999);
    expect(quoteCalls()).toBe(1);
    await advance(1);
    expect(quoteCalls()).toBe(2);
    expect(result.current.data?.price).toBe(100);
    expect(result.current.error).toBeNull();
    await advance(30_000);
    expect(quoteCalls()).toBe(2);
  });

  it('reports a subscription rejected by the edge as the error of that symbol only', async () => {
    const bad = renderHook(() => useRealTimeStock({ symbol: 'ZZZZ', enableWebSocket: true }));
    const good = renderHook(() => useRealTimeStock({ symbol: 'AAPL', enableWebSocket: true }));
    await settle();
    act(() => factory.latest.open());
    await settle();
    act(() =>
      factory.latest.receive({
        type: 'subscribed',
        symbols: ['AAPL'],
        rejected: [{ symbol: 'ZZZZ', code: 'SUBSCRIPTION_FAILED', reason: 'no source knows ZZZZ' }],
      }),
    );
    expect(bad.result.current.error?.message).toBe('no source knows ZZZZ');
    expect(good.result.current.error).toBeNull();
  });
});
