import { decode as decodeMsgpack, encode as encodeMsgpack } from '@msgpack/msgpack';
import { SUBPROTOCOLS } from '../../types/generated/contract';
import type { ClientMessage, ServerMessage } from '../../types/messages';
import type { WireFormat } from './config';

export type Frame = string | ArrayBuffer | ArrayBufferView;

/** One wire format: how a client message is written and how a frame of that format is read. */
export interface Codec {
  readonly format: WireFormat;
  encode(message: ClientMessage): string | Uint8Array<ArrayBuffer>;
  /** The frame's value, not yet checked to be a message. Throws on bytes that are not this format. */
  decode(frame: Frame): unknown;
}

const utf8 = new TextDecoder();

export const JSON_CODEC: Codec = {
  format: 'json',
  encode: (message) => JSON.stringify(message),
  decode: (frame) => JSON.parse(typeof frame === 'string' ? frame : utf8.decode(frame)),
};

export const MSGPACK_CODEC: Codec = {
  format: 'msgpack',
  encode: (message) => encodeMsgpack(message, { ignoreUndefined: true }),
  decode: (frame) => {
    if (typeof frame === 'string') throw new Error('a text frame is not MessagePack');
    return decodeMsgpack(frame);
  },
};

/** The codec for what the handshake selected: MessagePack only when the edge picked it. */
export function codecFor(subprotocol: string | undefined): Codec {
  return subprotocol === SUBPROTOCOLS.msgpack ? MSGPACK_CODEC : JSON_CODEC;
}

export function isBinaryFrame(raw: unknown): raw is ArrayBuffer | ArrayBufferView {
  return raw instanceof ArrayBuffer || ArrayBuffer.isView(raw);
}

/**
 * Reads a frame by its kind, not by the negotiated format: text is JSON on either subprotocol (the edge
 * refuses a connection in JSON even on MessagePack), binary is MessagePack.
 */
export function decodeFrame(raw: unknown): ServerMessage {
  let value: unknown;
  if (typeof raw === 'string') value = JSON_CODEC.decode(raw);
  else if (isBinaryFrame(raw)) value = MSGPACK_CODEC.decode(raw);
  else throw new Error(`unexpected frame of type ${Object.prototype.toString.call(raw)}`);
  if (!value || typeof value !== 'object' || typeof (value as { type?: unknown }).type !== 'string') {
    throw new Error('frame has no type');
  }
  return value as ServerMessage;
}
