import { encode } from '@msgpack/msgpack';
import { describe, expect, it } from 'vitest';
import type { ClientMessage } from '../../types/messages';
import { codecFor, decodeFrame, JSON_CODEC, MSGPACK_CODEC } from './codec';

const messages: ClientMessage[] = [
  { action: 'subscribe', symbols: ['AAPL', 'BRK.B'], since: { AAPL: 41 } },
  { action: 'unsubscribe', symbols: ['^GSPC'] },
  { action: 'ping', timestamp: '2026-12-07T10:30:00.123Z' },
  { action: 'refresh', token: 'a.b.c' },
];

describe('codecs', () => {
  it.each([JSON_CODEC, MSGPACK_CODEC])('$format reads back every client message it writes', (codec) => {
    for (const message of messages) {
      const frame = codec.encode(message);
      expect(codec.decode(frame)).toEqual(message);
    }
  });

  it('writes JSON as text and MessagePack as bytes, leaving undefined fields out', () => {
    expect(typeof JSON_CODEC.encode(messages[0])).toBe('string');
    const bytes = MSGPACK_CODEC.encode({ action: 'subscribe', symbols: ['AAPL'], since: undefined });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(MSGPACK_CODEC.decode(bytes)).toEqual({ action: 'subscribe', symbols: ['AAPL'] });
  });

  it('picks MessagePack only when the handshake selected it', () => {
    expect(codecFor('stocktracker.v1.msgpack')).toBe(MSGPACK_CODEC);
    expect(codecFor('stocktracker.v1.json')).toBe(JSON_CODEC);
    expect(codecFor('')).toBe(JSON_CODEC);
    expect(codecFor(undefined)).toBe(JSON_CODEC);
  });
});

describe('decodeFrame', () => {
  const pong = { type: 'pong', echo: '2026-12-07T10:30:00Z' };

  it('reads text as JSON and binary as MessagePack, whatever was negotiated', () => {
    expect(decodeFrame(JSON.stringify(pong))).toEqual(pong);
    const bytes = encode(pong);
    expect(decodeFrame(bytes)).toEqual(pong);
    expect(decodeFrame(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))).toEqual(pong);
  });

  it('refuses frames that are not a message with a type', () => {
    expect(() => decodeFrame('{not json')).toThrow();
    expect(() => decodeFrame('[1,2]')).toThrow('frame has no type');
    expect(() => decodeFrame('{"type":7}')).toThrow('frame has no type');
    expect(() => decodeFrame(encode('just a string'))).toThrow('frame has no type');
    expect(() => decodeFrame(new Uint8Array([0xc1]))).toThrow();
    expect(() => decodeFrame({ type: 'pong' })).toThrow('unexpected frame of type [object Object]');
  });
});
