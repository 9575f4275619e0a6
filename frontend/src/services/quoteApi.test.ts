import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { feedStatus } from './feedStatus';
import { QuoteApiError, fetchQuote, fetchSymbols, isConnectivityError } from './quoteApi';

function respond(status: number, body: unknown) {
  vi.stubGlobal('fetch', vi.fn(async () => new Response(JSON.stringify(body), { status })));
}

describe('quoteApi', () => {
  beforeEach(() => feedStatus.reset());
  afterEach(() => vi.unstubAllGlobals());

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
});
