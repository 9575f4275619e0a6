import { useEffect, useRef, useState } from 'react';
import { CandlestickSeries, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useRealTimeStock } from '../hooks/useRealTimeStock';
import { fetchBars } from '../services/barsApi';
import type { StockQuote } from '../types/messages';
import { applyTick, type Candle, mergeBars } from './intradayBars';

/** Closed bars are re-read this often: they close once a minute, and this is also the polling fallback's path. */
const REFRESH_MS = 30_000;

export interface IntradayChartProps {
  symbol: string;
  onClose: () => void;
}

const point = (c: Candle) => ({ ...c, time: c.time as UTCTimestamp });

/**
 * Today's 1-minute candles of one symbol (TradingView Lightweight Charts): the session's closed bars from
 * `GET /api/bars`, then the forming candle moved by each price update (WebSocket or polling alike).
 */
export function IntradayChart({ symbol, onClose }: IntradayChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const candles = useRef<Candle[]>([]);
  const [closedBars, setClosedBars] = useState(0);
  const [last, setLast] = useState<Candle | null>(null);
  const [ticks, setTicks] = useState(0);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const chart: IChartApi = createChart(element, {
      autoSize: true,
      // the logo brings an inline <style>, which the edge's Content-Security-Policy refuses: the credit below the
      // chart is the license's attribution notice and link instead
      layout: { background: { color: '#ffffff' }, textColor: '#1f2933', attributionLogo: false },
      timeScale: { timeVisible: true, secondsVisible: false },
      grid: { vertLines: { color: '#eef1f4' }, horzLines: { color: '#eef1f4' } },
    });
    series.current = chart.addSeries(CandlestickSeries, {
      upColor: '#0a7d39',
      downColor: '#c62828',
      borderVisible: false,
      wickUpColor: '#0a7d39',
      wickDownColor: '#c62828',
    });
    candles.current = [];
    return () => {
      series.current = null;
      chart.remove();
    };
  }, [symbol]);

  useEffect(() => {
    const abort = new AbortController();
    const load = async () => {
      try {
        const response = await fetchBars(symbol, abort.signal);
        candles.current = mergeBars(candles.current, response.bars);
        series.current?.setData(candles.current.map(point));
        setClosedBars(response.bars.length);
        setLast(candles.current[candles.current.length - 1] ?? null);
        setError(null);
      } catch (e) {
        if ((e as Error)?.name !== 'AbortError') setError((e as Error).message);
      }
    };
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [symbol]);

  const onUpdate = (q: StockQuote) => {
    const at = Date.parse(q.timestamp ?? '');
    const candle = applyTick(candles.current[candles.current.length - 1], q.price, Number.isNaN(at) ? Date.now() : at);
    if (!candle) return;
    const list = candles.current;
    if (list.length > 0 && list[list.length - 1].time === candle.time) list[list.length - 1] = candle;
    else list.push(candle);
    series.current?.update(point(candle));
    setLast(candle);
    setTicks((n) => n + 1);
  };
  useRealTimeStock({ symbol, onUpdate });

  return (
    <section
      className="intraday"
      aria-labelledby="intraday-heading"
      data-testid="intraday-chart"
      data-symbol={symbol}
      data-closed-bars={closedBars}
      data-ticks={ticks}
      data-last-time={last?.time ?? ''}
      data-last-close={last?.close ?? ''}
    >
      <div className="intraday-header">
        <h2 id="intraday-heading">{symbol} today, 1-minute</h2>
        <button type="button" className="intraday-close" onClick={onClose} aria-label={`Close the ${symbol} chart`}>
          ×
        </button>
      </div>
      {error && (
        <p className="row-error" role="alert" data-testid="intraday-error">
          {error}
        </p>
      )}
      <div className="intraday-canvas" ref={container} />
      <p className="intraday-credit">
        <small>
          TradingView Lightweight Charts™ Copyright (c) 2025 TradingView, Inc.{' '}
          <a href="https://www.tradingview.com/">https://www.tradingview.com/</a>
        </small>
      </p>
    </section>
  );
}
