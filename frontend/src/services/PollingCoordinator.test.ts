import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { quote } from '../test/FakeWebSocket';
import { AUTH_TOKEN_KEY } from './authToken';
import { PollingCoordinator, type PollResult } from './PollingCoordinator';

let calls: string[];
let authorizations: (string | undefined)[];
let hidden: boolean;
let visibility: EventTarget;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status });
}

beforeEach(() => {
  vi.useFakeTimers();
  calls = [];
  authorizations = [];
  hidden = false;
  visibility = new EventTarget();
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init?: RequestInit) => {
      calls.push(url);
      authorizations.push((init?.headers as Record<string, string> | undefined)?.Authorization);
      if (url.startsWith('/api/quotes?symbols=')) {
        const symbols = decodeURIComponent(url.split('=')[1]).split(',');
        return json(symbols.filter((s) => s !== 'NOPE').map((s) => quote(s, 10, 1)));
      }
      const symbol = url.split('/').pop() ?? '';
      return symbol === 'NOPE' ? json({ message: 'Unknown symbol: NOPE' }, 404) : json(quote(symbol, 10, 1));
    }),
  );
});

afterEach(() => {
  sessionStorage.removeItem(AUTH_TOKEN_KEY);
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

async function tick(ms = 0) {
  await vi.advanceTimersByTimeAsync(ms);
}

describe('PollingCoordinator', () => {
  it('fetches every symbol registered in the same tick with one request, then one per interval', async () => {
    const poller = new PollingCoordinator(50, () => hidden, visibility);
    const results: Record<string, PollResult[]> = {};
    const offs = ['AAPL', 'MSFT', 'NOPE'].map((s) => poller.register(s, 1000, (r) => (results[s] ??= []).push(r)));
    await tick();
    expect(calls).toEqual(['/api/quotes?symbols=AAPL,MSFT,NOPE']);
    expect(results.AAPL[0]).toMatchObject({ quote: { symbol: 'AAPL' } });
    expect(results.NOPE[0]).toMatchObject({ error: { status: 404, message: 'Unknown symbol: NOPE' } });

    await tick(1000);
    expect(calls).toHaveLength(2);
    offs[1]();
    offs[2]();
    await tick(1000);
    // One symbol left: the per-symbol endpoint.
    expect(calls.at(-1)).toBe('/api/quotes/AAPL');
    offs[0]();
    await tick(5000);
    expect(calls).toHaveLength(3);
    expect(poller.activeSymbols().size).toBe(0);
  });

  it('splits large watchlists into requests of maxPerRequest symbols', async () => {
    const poller = new PollingCoordinator(2, () => hidden, visibility);
    ['A', 'B', 'C', 'D', 'E'].forEach((s) => poller.register(s, 1000, () => {}));
    await tick();
    expect(calls).toEqual(['/api/quotes?symbols=A,B', '/api/quotes?symbols=C,D', '/api/quotes?symbols=E']);
  });

  it('skips polls while the tab is hidden and polls at once when it is shown', async () => {
    const poller = new PollingCoordinator(50, () => hidden, visibility);
    poller.register('AAPL', 1000, () => {});
    await tick();
    hidden = true;
    await tick(5000);
    expect(calls).toHaveLength(1);
    hidden = false;
    visibility.dispatchEvent(new Event('visibilitychange'));
    await tick();
    expect(calls).toHaveLength(2);
  });

  it('reports a failed request to every symbol it carried', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    const poller = new PollingCoordinator(50, () => hidden, visibility);
    const errors: string[] = [];
    poller.register('AAPL', 1000, (r) => 'error' in r && errors.push(`AAPL ${r.error.message}`));
    poller.register('MSFT', 1000, (r) => 'error' in r && errors.push(`MSFT ${r.error.message}`));
    await tick();
    expect(errors).toEqual(['AAPL Cannot reach the server', 'MSFT Cannot reach the server']);
  });

  it('polls with the page token in the Authorization header, batch and single alike', async () => {
    sessionStorage.setItem(AUTH_TOKEN_KEY, 'jwt-of-the-page');
    const poller = new PollingCoordinator(50, () => hidden, visibility);
    const offA = poller.register('AAPL', 1000, () => {});
    poller.register('MSFT', 1000, () => {});
    await tick();
    offA();
    await tick(1000);
    expect(calls).toEqual(['/api/quotes?symbols=AAPL,MSFT', '/api/quotes/MSFT']);
    expect(authorizations).toEqual(['Bearer jwt-of-the-page', 'Bearer jwt-of-the-page']);
  });
});
