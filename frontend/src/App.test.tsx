import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { installAppHarness, removeAppHarness } from './test/appHarness';
import { FakeSocketFactory, flushMicrotasks, priceUpdate, quote } from './test/FakeWebSocket';
import { WATCHLIST_KEY, loadWatchlist, parseSymbols } from './watchlist/watchlistStore';

let factory: FakeSocketFactory;

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

beforeEach(() => {
  factory = installAppHarness(async (url: string) => {
    if (url === '/api/symbols') {
      return json([{ symbol: 'AAPL', price: 190 }, { symbol: 'MSFT', price: 410 }, { symbol: 'GOOGL' }, { symbol: 'TSLA' }, { symbol: 'NVDA', price: 880 }]);
    }
    const symbol = decodeURIComponent(url.split('/').pop() ?? '');
    return json(quote(symbol, 100, 1));
  });
});

afterEach(removeAppHarness);

async function openSocket() {
  // the service connects from an effect: on a loaded machine that can land after the rows render
  await waitFor(() => expect(factory.sockets.length).toBeGreaterThan(0));
  await act(async () => {
    await flushMicrotasks();
    factory.latest.open();
    await flushMicrotasks();
  });
}

function rowSymbols(): string[] {
  return screen.queryAllByTestId(/^quote-row-/).map((r) => r.getAttribute('data-symbol') ?? '');
}

describe('App', () => {
  it('starts a first visit with symbols from /api/symbols and streams their prices', async () => {
    render(<App />);
    await waitFor(() => expect(rowSymbols()).toEqual(['AAPL', 'MSFT', 'GOOGL', 'TSLA']));
    await openSocket();
    expect(factory.latest.sentActions('subscribe')[0]).toMatchObject({ symbols: ['AAPL', 'MSFT', 'GOOGL', 'TSLA'] });
    await waitFor(() => expect(screen.getByTestId('connection-status').dataset.status).toBe('live'));

    act(() => factory.latest.receive(priceUpdate('AAPL', 191.25, 5)));
    const row = screen.getByTestId('quote-row-AAPL');
    expect(screen.getByTestId('price-AAPL').textContent).toBe('191.25');
    expect(row.dataset.seq).toBe('5');
    expect(row.dataset.source).toBe('ws');
    expect(screen.getByTestId('change-AAPL').className).toContain('up');
    expect(screen.getByTestId('change-percent-AAPL').textContent).toBe('+0.75%');
    expect(screen.getByTestId('high-AAPL').textContent).toBe('192.25');
    expect(screen.getByTestId('low-AAPL').textContent).toBe('190.25');
    // The flash lasts under a second: record it rather than race it on a loaded machine.
    const flashes: string[] = [];
    const observer = new MutationObserver(() => flashes.push(row.dataset.flash ?? ''));
    observer.observe(row, { attributes: true, attributeFilter: ['data-flash'] });
    act(() => factory.latest.receive(priceUpdate('AAPL', 190.0, 6)));
    await waitFor(() => expect(flashes).toContain('down'));
    observer.disconnect();
    expect(JSON.parse(localStorage.getItem(WATCHLIST_KEY) ?? '[]')).toEqual(['AAPL', 'MSFT', 'GOOGL', 'TSLA']);
  });

  it('adds a symbol from the search with the keyboard and removes one with its button', async () => {
    localStorage.setItem(WATCHLIST_KEY, JSON.stringify(['AAPL', 'MSFT']));
    render(<App />);
    await openSocket();
    const input = screen.getByRole('combobox', { name: 'Add a symbol' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'nv' } });
    const listbox = await screen.findByRole('listbox');
    expect(within(listbox).getAllByRole('option').map((o) => o.textContent)).toEqual(['NVDA880.00']);
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(input.getAttribute('aria-activedescendant')).toBe(screen.getByTestId('symbol-option-NVDA').id);
    fireEvent.submit(input.closest('form')!);
    expect(rowSymbols()).toEqual(['AAPL', 'MSFT', 'NVDA']);
    expect(screen.getByTestId('search-feedback').textContent).toBe('NVDA added to the watchlist');
    await act(async () => flushMicrotasks());
    expect(factory.latest.sentActions('subscribe').at(-1)).toEqual({ action: 'subscribe', symbols: ['NVDA'] });

    fireEvent.click(screen.getByRole('button', { name: 'Remove MSFT from watchlist' }));
    expect(rowSymbols()).toEqual(['AAPL', 'NVDA']);
    await act(async () => flushMicrotasks());
    expect(factory.latest.sentActions('unsubscribe')).toEqual([{ action: 'unsubscribe', symbols: ['MSFT'] }]);
    expect(JSON.parse(localStorage.getItem(WATCHLIST_KEY) ?? '[]')).toEqual(['AAPL', 'NVDA']);

    // A duplicate and a malformed symbol are refused with a message.
    fireEvent.change(input, { target: { value: 'aapl' } });
    fireEvent.submit(input.closest('form')!);
    expect(screen.getByTestId('search-feedback').textContent).toBe('AAPL is already in the watchlist');
    fireEvent.change(input, { target: { value: 'not a symbol!' } });
    fireEvent.submit(input.closest('form')!);
    expect(screen.getByTestId('search-feedback').textContent).toContain('is not a valid symbol');
    expect(rowSymbols()).toEqual(['AAPL', 'NVDA']);
  });

  it('shows an unknown symbol on its row but leaves lost connectivity to the indicator', async () => {
    localStorage.setItem(WATCHLIST_KEY, JSON.stringify(['AAPL', 'NOPE']));
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url.endsWith('/NOPE')) return json({ message: 'Unknown symbol: NOPE' }, 404);
        return Promise.reject(new TypeError('Failed to fetch'));
      }),
    );
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('error-NOPE').textContent).toBe('Unknown symbol: NOPE'));
    expect(screen.queryByTestId('error-AAPL')).toBeNull();
  });

  it('keeps the watchlist across reloads', async () => {
    localStorage.setItem(WATCHLIST_KEY, JSON.stringify(['TSLA']));
    const first = render(<App />);
    expect(rowSymbols()).toEqual(['TSLA']);
    first.unmount();
    render(<App />);
    expect(rowSymbols()).toEqual(['TSLA']);
    await waitFor(() => expect(screen.getByTestId('price-TSLA').textContent).toBe('100.00'));
  });
});

describe('watchlist storage', () => {
  it('normalises, dedups and caps symbols', () => {
    expect(parseSymbols(' aapl, MSFT msft ,, bad symbol!, brk.b')).toEqual(['AAPL', 'MSFT', 'BAD', 'BRK.B']);
    expect(parseSymbols(Array.from({ length: 80 }, (_, i) => `S${i}`).join(','))).toHaveLength(50);
  });

  it('prefers ?symbols= over storage and survives corrupt storage', () => {
    localStorage.setItem(WATCHLIST_KEY, '["AAPL"]');
    expect(loadWatchlist(localStorage, '?symbols=MSFT,TSLA')).toEqual(['MSFT', 'TSLA']);
    expect(loadWatchlist(localStorage, '')).toEqual(['AAPL']);
    localStorage.setItem(WATCHLIST_KEY, '{not json');
    expect(loadWatchlist(localStorage, '')).toBeNull();
  });
});
