/** The seed's connection states. String values so metrics and data attributes read naturally. */
export enum ConnectionState {
  CONNECTING = 'CONNECTING',
  OPEN = 'OPEN',
  CLOSING = 'CLOSING',
  CLOSED = 'CLOSED',
  RECONNECTING = 'RECONNECTING',
}

export interface ConnectionChange {
  previous: ConnectionState;
  reconnectAttempts: number;
  pollingFallback: boolean;
  /** When the next reconnection attempt is due, while RECONNECTING. */
  nextRetryAt: Date | null;
}
