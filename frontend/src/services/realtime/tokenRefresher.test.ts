import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocketServiceError } from './errors';
import { TokenRefresher } from './tokenRefresher';

function host(connected = true) {
  const sent: string[] = [];
  const errors: WebSocketServiceError[] = [];
  return {
    sent,
    errors,
    isConnected: () => connected,
    sendRefresh: (token: string) => (sent.push(token), true),
    report: (e: WebSocketServiceError) => errors.push(e),
  };
}

describe('TokenRefresher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('offers a new token once, takes it on token_refreshed, and does not offer a refused one again', () => {
    let token = 't1';
    const h = host();
    const tokens = new TokenRefresher(() => token, h);
    expect(tokens.forNewConnection()).toBe('t1');
    expect(tokens.refresh()).toBe(false); // the token in use

    token = 't2';
    expect(tokens.refresh()).toBe(true);
    expect(tokens.refresh()).toBe(false); // already pending
    tokens.refreshed('2026-12-07T12:00:00Z');
    expect(tokens.refreshes).toBe(1);
    expect(tokens.expiresAt).toEqual(new Date('2026-12-07T12:00:00Z'));

    token = 't3';
    expect(tokens.refresh()).toBe(true);
    expect(tokens.refusal({ type: 'error', code: 'UNAUTHORIZED', message: 'bad sub' })).toBe(true);
    expect(tokens.refresh()).toBe(false);
    expect(h.sent).toEqual(['t2', 't3']);
    expect(h.errors.map((e) => e.message)).toEqual(['token refresh failed: bad sub']);
  });

  it('on token_expiring without a new token, reports it and looks again until one appears', () => {
    let token: string | null = 't1';
    const h = host();
    const tokens = new TokenRefresher(() => token, h);
    tokens.forNewConnection();
    tokens.expiring(new Date(Date.now() + 60_000).toISOString());
    expect(h.errors.map((e) => e.code)).toEqual(['TOKEN_EXPIRING']);
    expect(h.sent).toEqual([]);

    token = 't2';
    vi.advanceTimersByTime(5000);
    expect(h.sent).toEqual(['t2']);
    vi.advanceTimersByTime(20_000);
    expect(h.sent).toEqual(['t2']);
  });

  it('after a 4001 close, blocks the same token (reported once) until another one is there', () => {
    let token = 'old';
    const h = host();
    const tokens = new TokenRefresher(() => token, h);
    tokens.forNewConnection();
    tokens.closedUnauthorized();

    tokens.forNewConnection();
    expect(tokens.blockedUntilNewToken()).toBe(true);
    tokens.forNewConnection();
    expect(tokens.blockedUntilNewToken()).toBe(true);
    expect(h.errors.map((e) => e.message)).toEqual(['token rejected: waiting for a new token to reconnect']);

    token = 'new';
    tokens.forNewConnection();
    expect(tokens.blockedUntilNewToken()).toBe(false);
  });
});
