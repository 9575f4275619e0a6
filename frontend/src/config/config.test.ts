import { describe, expect, it } from 'vitest';
import { absoluteWsUrl, resolveConfig } from './appConfig';
import { BUCKET_KEY, chooseTransport, inRollout, rolloutBucket } from './rollout';

const loc = { protocol: 'https:', host: 'stocks.example:8443' };

describe('resolveConfig', () => {
  it('picks the wire format: ?wire= over /config.js over VITE_WS_WIRE_FORMAT, unknown values ignored', () => {
    expect(resolveConfig({ VITE_WS_WIRE_FORMAT: 'msgpack' }, undefined, loc).wireFormat).toBe('msgpack');
    expect(resolveConfig({ VITE_WS_WIRE_FORMAT: 'msgpack' }, { wireFormat: 'json' }, loc).wireFormat).toBe('json');
    expect(resolveConfig({}, { wireFormat: ' MsgPack ' }, loc).wireFormat).toBe('msgpack');
    expect(resolveConfig({}, { wireFormat: 'json' }, { ...loc, search: '?symbols=AAPL&wire=msgpack' }).wireFormat).toBe('msgpack');
    expect(resolveConfig({}, { wireFormat: 'msgpack' }, { ...loc, search: '?wire=json' }).wireFormat).toBe('json');
    expect(resolveConfig({}, { wireFormat: 'protobuf' }, { ...loc, search: '?wire=xml' }).wireFormat).toBe('json');
  });

  it('defaults to the same-origin /ws endpoint and the seed defaults', () => {
    expect(resolveConfig({}, undefined, loc)).toEqual({
      wsUrl: 'wss://stocks.example:8443/ws',
      enableWebSocket: true,
      fallbackToPolling: true,
      reconnectInterval: 1000,
      rolloutPercent: 100,
      pollingInterval: 30000,
      heartbeatInterval: 15000,
      handshakeTimeout: 5000,
      maxReconnectAttempts: 10,
      maxReconnectDelay: 30000,
      messageQueueSize: 100,
      wireFormat: 'json',
    });
    expect(resolveConfig({}, undefined, { protocol: 'http:', host: 'localhost:8080' }).wsUrl).toBe('ws://localhost:8080/ws');
  });

  it('reads the seed VITE_* variables', () => {
    const c = resolveConfig(
      {
        VITE_WS_URL: 'ws://localhost:8081',
        VITE_ENABLE_WEBSOCKET: 'false',
        VITE_FALLBACK_TO_POLLING: 'false',
        VITE_WS_RECONNECT_INTERVAL: '5000',
      },
      undefined,
      loc,
    );
    expect(c).toMatchObject({
      wsUrl: 'ws://localhost:8081',
      enableWebSocket: false,
      fallbackToPolling: false,
      reconnectInterval: 5000,
    });
  });

  it('lets /config.js override the build-time values', () => {
    const c = resolveConfig(
      { VITE_WS_URL: 'ws://build-time/ws', VITE_ENABLE_WEBSOCKET: 'false', VITE_WS_RECONNECT_INTERVAL: '5000' },
      { wsUrl: '/stream', enableWebSocket: true, reconnectInterval: 250, rolloutPercent: 10, pollingInterval: 2000, handshakeTimeout: 8000 },
      loc,
    );
    expect(c).toMatchObject({
      wsUrl: 'wss://stocks.example:8443/stream',
      enableWebSocket: true,
      reconnectInterval: 250,
      rolloutPercent: 10,
      pollingInterval: 2000,
      handshakeTimeout: 8000,
    });
  });

  it('ignores invalid values instead of breaking the page', () => {
    const c = resolveConfig(
      { VITE_WS_RECONNECT_INTERVAL: 'soon', VITE_ENABLE_WEBSOCKET: 'maybe' },
      { rolloutPercent: 250, reconnectInterval: -1, wsUrl: '  ' },
      loc,
    );
    expect(c).toMatchObject({ reconnectInterval: 1000, enableWebSocket: true, rolloutPercent: 100, wsUrl: 'wss://stocks.example:8443/ws' });
  });

  it('turns http(s) and protocol-relative URLs into ws(s)', () => {
    expect(absoluteWsUrl('https://edge/ws', loc)).toBe('wss://edge/ws');
    expect(absoluteWsUrl('//edge/ws', loc)).toBe('wss://edge/ws');
    expect(absoluteWsUrl('ws://edge/ws', loc)).toBe('ws://edge/ws');
  });
});

describe('rollout', () => {
  function memoryStorage() {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
  }

  it('draws a bucket once per browser and keeps it', () => {
    const storage = memoryStorage();
    const first = rolloutBucket(storage, () => 0.42);
    expect(first).toBe(42);
    expect(storage.m.get(BUCKET_KEY)).toBe('42');
    expect(rolloutBucket(storage, () => 0.99)).toBe(42);
  });

  it('redraws a corrupt bucket and survives blocked storage', () => {
    const storage = memoryStorage();
    storage.setItem(BUCKET_KEY, 'abc');
    expect(rolloutBucket(storage, () => 0.07)).toBe(7);
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {},
    };
    expect(rolloutBucket(blocked, () => 0.5)).toBe(50);
  });

  it('puts bucket < rolloutPercent on WebSocket: 10% then 50% then 100%', () => {
    const buckets = Array.from({ length: 100 }, (_, i) => i);
    expect(buckets.filter((b) => inRollout(b, 10))).toHaveLength(10);
    expect(buckets.filter((b) => inRollout(b, 50))).toHaveLength(50);
    expect(buckets.filter((b) => inRollout(b, 100))).toHaveLength(100);
    expect(buckets.filter((b) => inRollout(b, 0))).toHaveLength(0);
    // Raising the percentage only moves browsers from polling to WebSocket.
    expect(buckets.filter((b) => inRollout(b, 10) && !inRollout(b, 50))).toHaveLength(0);
  });

  it('chooses the transport from the flag, the bucket and a URL override', () => {
    expect(chooseTransport(true, 100, 99, '')).toEqual({ useWebSocket: true, reason: 'enabled' });
    expect(chooseTransport(true, 10, 50, '')).toEqual({ useWebSocket: false, reason: 'rollout' });
    expect(chooseTransport(false, 100, 0, '')).toEqual({ useWebSocket: false, reason: 'disabled' });
    expect(chooseTransport(true, 100, 0, '?transport=polling')).toEqual({ useWebSocket: false, reason: 'override' });
    expect(chooseTransport(false, 0, 0, '?transport=ws')).toEqual({ useWebSocket: true, reason: 'override' });
  });
});
