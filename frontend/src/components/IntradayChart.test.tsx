import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../App';
import { installAppHarness, removeAppHarness } from '../test/appHarness';
import { FakeSocketFactory, flushMicrotasks, priceUpdate, quote } from '../test/FakeWebSocket';

// jsdom has no canvas: the chart library is replaced by a recorder of what the component gives it
const drawn = vi.hoisted(() => ({ setData: [] as unknown[][], update: [] as unknown[], removed: 0 }));
vi.mock('lightweight-charts', () => ({
  CandlestickSeries: {},
  createChart: () => ({
    addSeries: () => ({
      setData: (d: unknown[]) => drawn.setData.push(d),
      update: (c: unknown) => drawn.update.push(c),
    }),
    remove: () => {
      drawn.removed++;
    },
  }),
}));

const BAR = {
  symbol: 'AAPL',
  windowStart: '2026-12-07T14:30:00Z',
  windowEnd: '2026-12-07T14:31:00Z',
  open: 99,
  high: 101,
  low: 98,
  close: 100,
  volume: 10,
  count: 3,
};

let factory: FakeSocketFactory;
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'Content-Type': 'application/json' } });

beforeEach(() => {
  drawn.setData = [];
  drawn.update = [];
  drawn.removed = 0;
  localStorage.clear();
  factory = installAppHarness(async (url: string) => {
    if (url === '/api/symbols') return json([{ symbol: 'AAPL' }, { symbol: 'MSFT' }]);
    if (url.startsWith('/api/bars/')) return json({ symbol: 'AAPL', from: '', to: '', complete: true, bars: [BAR] });
    return json(quote(decodeURIComponent(url.split('/').pop() ?? ''), 100, 1));
  });
});

afterEach(removeAppHarness);

describe('IntradayChart', () => {
  it('opens from a row click with the REST bars, moves the forming candle with prices, and closes', async () => {
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('quote-row-AAPL')).toBeTruthy());
    await waitFor(() => expect(factory.sockets.length).toBeGreaterThan(0));
    await act(async () => {
      await flushMicrotasks();
      factory.latest.open();
      await flushMicrotasks();
    });

    fireEvent.click(screen.getByTestId('remove-MSFT'));
    expect(screen.queryByTestId('intraday-chart')).toBeNull(); // a row's buttons keep their own meaning

    fireEvent.click(screen.getByTestId('price-AAPL'));
    const chart = await screen.findByTestId('intraday-chart');
    expect(chart.dataset.symbol).toBe('AAPL');
    await waitFor(() => expect(chart.dataset.closedBars).toBe('1'));
    expect(drawn.setData.at(-1)).toEqual([{ time: 1796653800, open: 99, high: 101, low: 98, close: 100 }]);

    const ticks = Number(chart.dataset.ticks);
    const updates = drawn.update.length;
    act(() => factory.latest.receive(priceUpdate('AAPL', 101.5, 7)));
    await waitFor(() => expect(Number(chart.dataset.ticks)).toBe(ticks + 1));
    expect(chart.dataset.lastClose).toBe('101.5');
    expect(drawn.update).toHaveLength(updates + 1);

    fireEvent.click(screen.getByRole('button', { name: 'Close the AAPL chart' }));
    expect(screen.queryByTestId('intraday-chart')).toBeNull();
    expect(drawn.removed).toBe(1);
  });
});
