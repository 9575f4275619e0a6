import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AUTH_TOKEN_KEY } from './authToken';
import { feedStatus } from './feedStatus';
import { QuoteApiError, fetchQuote, fetchQuotes, fetchSymbols, isConnectivityError } from './quoteApi';

function respond(status: number, body: unknown) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status })));
}

describe('quoteApi', () => {
  beforeEach(() => feedStatus.reset());
  afterEach(() => {
    vi.unstubAllGlobals();
    sessionStorage.removeItem(AUTH_TOKEN_KEY);
  });

  it('reads a quote and records a healthy HTTP path', async () => {
    respond(200, { symbol: 'AAPL', price: 1, seq: 3 });
    await expect(fetchQuote('AAPL')).resolves.toMatchObject({ symbol: 'AAPL', seq: 3 });
    expect(feedStatus.getSnapshot().httpFailing).toBe(false);
    expect(feedStatus.getSnapshot().lastPollSuccess).not.toBeNull();
  });

  it('turns a 404 into a symbol error that does not count as an outage', async () => {
    respond(404, { message: 'Unknown symbol: NOPE' });
    const err = await fetchQuote('NOPE').catch((e) => e);
    expect(err).toBeInstanceOf(QuoteApiError);
    expect(err.message).toBe('Unknown symbol: NOPE');
    expect(isConnectivityError(err)).toBe(false);
    expect(feedStatus.getSnapshot().httpFailing).toBe(false);
  });

  it('reports network failures and 5xx as connectivity errors and marks the HTTP path failing', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const down = await fetchQuote('AAPL').catch((e) => e);
    expect(down.message).toBe('Cannot reach the server');
    expect(isConnectivityError(down)).toBe(true);
    expect(feedStatus.getSnapshot().httpFailing).toBe(true);

    respond(503, 'unavailable');
    const busy = await fetchQuote('AAPL').catch((e) => e);
    expect(busy.message).toBe('Server unavailable (HTTP 503)');
    expect(isConnectivityError(busy)).toBe(true);
  });

  it('accepts /api/symbols as objects or plain strings', async () => {
    respond(200, [{ symbol: 'AAPL', price: 190 }, 'MSFT', { nope: 1 }]);
    await expect(fetchSymbols()).resolves.toEqual([{ symbol: 'AAPL', price: 190 }, { symbol: 'MSFT' }]);
  });

  it('sends the page token as an Authorization header on every call, never in the URL', async () => {
    sessionStorage.setItem(AUTH_TOKEN_KEY, 'header.payload.sig');
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify([]), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await fetchQuotes(['AAPL', 'MSFT']);
    await fetchSymbols();
    fetchMock.mockImplementationOnce(async () => new Response(JSON.stringify({ symbol: 'AAPL' }), { status: 200 }));
    await fetchQuote('AAPL');
    expect(fetchMock).toHaveBeenCalledTimes(3);
    for (const [url, init] of fetchMock.mock.calls) {
      expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer header.payload.sig');
      expect(url).not.toContain('header.payload.sig');
    }
  });

  it('sends no Authorization header without a token, and reads a renewed token at the next call', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => new Response(JSON.stringify([]), { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    await fetchSymbols();
    expect((fetchMock.mock.calls[0][1]?.headers as Record<string, string>).Authorization).toBeUndefined();
    sessionStorage.setItem(AUTH_TOKEN_KEY, 'renewed');
    await fetchSymbols();
    expect((fetchMock.mock.calls[1][1]?.headers as Record<string, string>).Authorization).toBe('Bearer renewed');
  });

  it('turns a 401 into a sign-in error that is not an outage', async () => {
    respond(401, { type: 'error', code: 'UNAUTHORIZED', message: 'A token is required: send Authorization: Bearer <token>' });
    const err = await fetchQuote('AAPL').catch((e) => e);
    expect(err.status).toBe(401);
    expect(err.message).toBe('A token is required: send Authorization: Bearer <token>');
    expect(isConnectivityError(err)).toBe(false);
  });
});
