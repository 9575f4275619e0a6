import type { ErrorMessage } from '../../types/messages';
import type { WebSocketConfig } from './config';
import { WebSocketServiceError } from './errors';

/** What the refresher needs of the connection it serves. */
export interface TokenHost {
  /** True while the edge has accepted the connection and its socket is there. */
  isConnected(): boolean;
  /** Sends a `refresh` now, without queueing; true if it went out. */
  sendRefresh(token: string): boolean;
  report(error: WebSocketServiceError): void;
}

/** How often the authToken provider is read again after `token_expiring` found no new token. */
const REFRESH_RETRY_MS = 5000;

/**
 * The connection's token (AUTH_MODE=jwt): the one it opened with, a refresh before it expires
 * (`token_expiring` -> `refresh` -> `token_refreshed`), and the tokens not to offer again: one the edge
 * refused as a refresh (on this connection), and one the edge closed 4001 on (until another appears).
 */
export class TokenRefresher {
  /** The token the current socket authenticated with, then the last one the edge confirmed. */
  private inUse: string | null = null;
  /** A refresh sent and not yet answered. */
  private pending: string | null = null;
  /** The last token the edge refused as a refresh: not offered again (a new connection tries it afresh). */
  private refused: string | null = null;
  private retryTimer: ReturnType<typeof setInterval> | null = null;
  private expiresAtValue: Date | null = null;
  private refreshCount = 0;
  /**
   * The token of a connection the edge closed with 4001 (expired or revoked; '' when it had none): never
   * offered again, so a page without a token does not reopen a socket the edge refuses every time.
   */
  private rejected: string | null = null;
  private rejectedReported = false;

  constructor(
    private readonly source: WebSocketConfig['authToken'],
    private readonly host: TokenHost,
  ) {}

  get expiresAt(): Date | null {
    return this.expiresAtValue;
  }

  get refreshes(): number {
    return this.refreshCount;
  }

  /** Reads the token a new socket offers; the last connection's refresh state no longer applies. */
  forNewConnection(): string | null {
    const token = this.read();
    this.inUse = token;
    this.pending = null;
    this.refused = null;
    this.expiresAtValue = null;
    return token;
  }

  /**
   * True when the edge closed 4001 on the very token (or on none) a new socket would offer: only a new
   * token can get in. The first time after that close, the error says so.
   */
  blockedUntilNewToken(): boolean {
    if (this.rejected === null || (this.inUse ?? '') !== this.rejected) return false;
    if (!this.rejectedReported) {
      this.rejectedReported = true;
      const message = this.rejected
        ? 'token rejected: waiting for a new token to reconnect'
        : 'the edge requires a token: waiting for one to reconnect';
      this.host.report(new WebSocketServiceError(message, 'CONNECTION', 'UNAUTHORIZED'));
    }
    return true;
  }

  connectionAccepted(): void {
    this.rejected = null;
  }

  closedUnauthorized(): void {
    this.rejected = this.inUse ?? '';
    this.rejectedReported = false;
  }

  /** `token`, or else what the provider returns now, if it is new and the connection is up. */
  refresh(token?: string | null): boolean {
    const next = token ?? this.read();
    if (!next || next === this.inUse || next === this.pending || next === this.refused) return false;
    if (!this.host.isConnected()) return false;
    this.pending = next;
    if (!this.host.sendRefresh(next)) {
      this.pending = null;
      return false;
    }
    return true;
  }

  expiring(expiresAt: string): void {
    this.expiresAtValue = parseDate(expiresAt) ?? this.expiresAtValue;
    if (this.pending || this.refresh()) return;
    this.host.report(
      new WebSocketServiceError(
        `token expires at ${expiresAt} and the authToken provider has no new token yet`,
        'CONNECTION',
        'TOKEN_EXPIRING',
      ),
    );
    this.scheduleRetry();
  }

  refreshed(expiresAt: string | undefined): void {
    if (this.pending) this.inUse = this.pending;
    this.pending = null;
    this.expiresAtValue = parseDate(expiresAt);
    this.refreshCount++;
    this.stop();
  }

  /**
   * True when this error is the edge's answer to our refresh (refresh-protocol: UNAUTHORIZED, or
   * UNSUPPORTED_ACTION without jwt): the edge keeps the old token, the refused one is not offered again.
   */
  refusal(message: ErrorMessage): boolean {
    if (!this.pending || message.symbol || (message.code !== 'UNAUTHORIZED' && message.code !== 'UNSUPPORTED_ACTION')) {
      return false;
    }
    this.host.report(
      new WebSocketServiceError(`token refresh failed: ${message.message ?? message.code}`, 'CONNECTION', String(message.code)),
    );
    this.refused = this.pending;
    this.pending = null;
    return true;
  }

  /** Stops looking for a new token. */
  stop(): void {
    if (this.retryTimer) clearInterval(this.retryTimer);
    this.retryTimer = null;
  }

  /** A sign-in flow may store the new token a little later: look again until it expires. */
  private scheduleRetry(): void {
    this.stop();
    this.retryTimer = setInterval(() => {
      const expired = this.expiresAtValue != null && Date.now() >= this.expiresAtValue.getTime();
      if (!this.host.isConnected() || expired || this.refresh() || this.pending) this.stop();
    }, REFRESH_RETRY_MS);
  }

  private read(): string | null {
    const source = this.source;
    try {
      return (typeof source === 'function' ? source() : source) || null;
    } catch (e) {
      this.host.report(new WebSocketServiceError(`authToken failed: ${String(e)}`, 'CONNECTION', 'UNAUTHORIZED'));
      return null;
    }
  }
}

function parseDate(iso: string | undefined): Date | null {
  const ms = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(ms) ? new Date(ms) : null;
}
