import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocketFactory } from '../../test/FakeWebSocket';
import { DEFAULT_WEBSOCKET_CONFIG } from './config';
import { offeredProtocols, Transport, type TransportEvents } from './transport';

function recorder() {
  const log: string[] = [];
  const events: TransportEvents = {
    message: (m, binary) => log.push(`message ${m.type}${binary ? ' binary' : ''}`),
    unreadable: (reason) => log.push(`unreadable ${reason}`),
    failed: () => log.push('failed'),
    closed: (code) => log.push(`closed ${code}`),
    handshakeTimedOut: (ms) => log.push(`handshake timeout ${ms}`),
    silent: () => log.push('silent'),
    ping: () => log.push('ping'),
  };
  return { log, events };
}

describe('Transport', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const options = (factory: FakeSocketFactory) => ({
    url: 'ws://edge/ws',
    createSocket: factory.create,
    handshakeTimeoutMs: 5000,
    heartbeatIntervalMs: 1000,
    heartbeatTimeoutMs: 2000,
  });

  it('closes an open socket with 4002 when connected does not come in time', () => {
    const factory = new FakeSocketFactory();
    const { log, events } = recorder();
    const transport = new Transport(options(factory), events);
    transport.open(undefined);
    factory.latest.openOnly();
    vi.advanceTimersByTime(4999);
    expect(log).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(log).toEqual(['handshake timeout 5000']);
    expect(factory.latest.closedWith).toEqual({ code: 4002, reason: 'no connected message' });
    expect(transport.hasSocket()).toBe(false);
  });

  it('pings once connected and drops a socket silent past the heartbeat timeout with 4000', () => {
    const factory = new FakeSocketFactory();
    const { log, events } = recorder();
    const transport = new Transport(options(factory), events);
    transport.open(undefined);
    factory.latest.open();
    transport.connected();
    expect(log).toEqual(['message connected', 'ping']);
    vi.advanceTimersByTime(2000);
    expect(log).toEqual(['message connected', 'ping', 'ping', 'ping']);
    vi.advanceTimersByTime(1000);
    expect(log.at(-1)).toBe('silent');
    expect(factory.latest.closedWith?.code).toBe(4000);
  });

  it('decodes by frame kind, encodes by the negotiated codec, and ignores a socket it let go', () => {
    const factory = new FakeSocketFactory();
    const { log, events } = recorder();
    const transport = new Transport(options(factory), events);
    transport.open(['stocktracker.v1.msgpack', 'stocktracker.v1.json']);
    const first = factory.latest;
    first.open('stocktracker.v1.msgpack');
    expect(transport.wireFormat()).toBe('msgpack');
    first.receiveRaw('{"no":"type"}');
    transport.send({ action: 'ping', timestamp: '2026-12-07T10:00:00Z' });
    expect(first.sent.at(-1)).toBeInstanceOf(Uint8Array);
    expect(log).toEqual(['message connected binary', 'unreadable frame has no type']);

    transport.close(1000, 'client reconnect');
    first.receive({ type: 'pong' });
    first.drop();
    expect(log).toHaveLength(2);
  });

  it('offers MessagePack first when wanted and a token as a bearer entry', () => {
    expect(offeredProtocols({ ...DEFAULT_WEBSOCKET_CONFIG, url: 'ws://x' }, null)).toBeUndefined();
    expect(offeredProtocols({ ...DEFAULT_WEBSOCKET_CONFIG, url: 'ws://x' }, 'jwt')).toEqual(['stocktracker.v1.json', 'bearer.jwt']);
    expect(offeredProtocols({ ...DEFAULT_WEBSOCKET_CONFIG, url: 'ws://x', wireFormat: 'msgpack' }, 'jwt')).toEqual([
      'stocktracker.v1.msgpack',
      'stocktracker.v1.json',
      'bearer.jwt',
    ]);
  });
});
