import { CLOSE_CODES } from '../../types/generated/contract';
import type { ErrorMessage } from '../../types/messages';

export type ErrorCategory = 'CONNECTION' | 'MESSAGE' | 'DATA';

/** What onError handlers receive: a connection failure, or an error frame from the edge. */
export class WebSocketServiceError extends Error {
  constructor(
    message: string,
    readonly category: ErrorCategory,
    readonly code?: string,
    readonly symbol?: string,
  ) {
    super(message);
    this.name = 'WebSocketServiceError';
  }
}

/** The edge's close codes that tell the user something: all of its table but a normal close. */
const CLOSE_CODE_NAMES = new Map<number, string>(
  Object.entries(CLOSE_CODES)
    .filter(([name]) => name !== 'NORMAL')
    .map(([name, code]) => [code, name]),
);

export function closeCodeName(code: number): string | undefined {
  return CLOSE_CODE_NAMES.get(code);
}

/**
 * An `error` frame as onError sees it. Before `connected`, an error is the edge saying why it refuses
 * the connection (a close follows); with a symbol, it is about that symbol's data.
 */
export function errorFromFrame(message: ErrorMessage, connectionOpen: boolean): WebSocketServiceError {
  return new WebSocketServiceError(
    message.message ?? String(message.code),
    message.symbol ? 'DATA' : connectionOpen ? 'MESSAGE' : 'CONNECTION',
    String(message.code),
    message.symbol,
  );
}
