import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from './App';
import { installAppHarness, removeAppHarness } from './test/appHarness';
import { FakeSocketFactory, flushMicrotasks, priceUpdate, quote } from './test/FakeWebSocket';
import { WATCHLIST_KEY } from './watchlist/watchlistStore';

let factory: FakeSocketFactory;

beforeEach(() => {
  factory = installAppHarness(async (url: string) => {
    if (url === '/api/symbols') return new Response(JSON.stringify([{ symbol: 'AAPL' }, { symbol: 'NVDA', price: 880 }]));
    if (url.endsWith('/NOPE')) return new Response(JSON.stringify({ message: 'Unknown symbol: NOPE' }), { status: 404 });
    return new Response(JSON.stringify(quote(decodeURIComponent(url.split('/').pop() ?? ''), 100, 1)));
  });
});

afterEach(removeAppHarness);

async function violations(): Promise<string[]> {
  // jsdom does not lay out or paint: contrast is checked in the browser suite's screenshots instead.
  const result = await axe.run(document.body, { rules: { 'color-contrast': { enabled: false } } });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

describe('accessibility (axe-core)', () => {
  it('the live watchlist, the open symbol search and the status details have no violations', async () => {
    localStorage.setItem(WATCHLIST_KEY, JSON.stringify(['AAPL', 'MSFT', 'NOPE']));
    render(<App />);
    await waitFor(() => expect(factory.sockets.length).toBeGreaterThan(0));
    await act(async () => {
      await flushMicrotasks();
      factory.latest.open();
      await flushMicrotasks();
    });
    act(() => factory.latest.receive(priceUpdate('AAPL', 101, 2)));
    await waitFor(() => expect(screen.getByTestId('error-NOPE')).toBeTruthy());
    fireEvent.focus(screen.getByTestId('connection-status'));
    const input = screen.getByRole('combobox', { name: 'Add a symbol' });
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'n' } });
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    await screen.findByRole('listbox');
    expect(await violations()).toEqual([]);
  });

  it('the empty watchlist has no violations', async () => {
    localStorage.setItem(WATCHLIST_KEY, '[]');
    render(<App />);
    await screen.findByTestId('watchlist-empty');
    expect(await violations()).toEqual([]);
  });
});
