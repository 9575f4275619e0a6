import { useCallback, useEffect, useState } from 'react';
import { AlertNotices } from './components/AlertNotices';
import { ConnectionStatusIndicator } from './components/ConnectionStatusIndicator';
import { SymbolSearch } from './components/SymbolSearch';
import { WatchlistRow } from './components/WatchlistRow';
import { IntradayChart } from './components/IntradayChart';
import { useChartSelection } from './components/useChartSelection';
import { useConnectionStatus } from './hooks/useConnectionStatus';
import { useNow } from './hooks/useNow';
import { fetchSymbols, type SymbolInfo } from './services/quoteApi';
import { useWatchlist } from './watchlist/useWatchlist';

const FIRST_VISIT_SYMBOLS = 4;

export function App() {
  const watchlist = useWatchlist();
  const status = useConnectionStatus();
  const now = useNow(1000);
  const [symbols, setSymbols] = useState<SymbolInfo[]>([]);
  const [symbolsError, setSymbolsError] = useState<string | null>(null);

  const loadSymbols = useCallback(async () => {
    try {
      const list = await fetchSymbols();
      setSymbols(list);
      setSymbolsError(null);
      return list;
    } catch (e) {
      setSymbolsError((e as Error).message);
      return null;
    }
  }, []);

  const { initialized, replace } = watchlist;
  useEffect(() => {
    void loadSymbols().then((list) => {
      // First visit: start with a few of the symbols the feed knows.
      if (!initialized && list) replace(list.slice(0, FIRST_VISIT_SYMBOLS).map((s) => s.symbol));
    });
  }, [loadSymbols, initialized, replace]);

  const chart = useChartSelection(watchlist.symbols);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Stock Tracker</h1>
        <ConnectionStatusIndicator
          isConnected={status.isConnected}
          isRealTime={status.isRealTime}
          lastUpdate={status.lastUpdate}
          latency={status.latency}
          showDetails
          position="top-right"
          inline
          connectionState={status.connectionState}
          reconnectAttempts={status.reconnectAttempts}
          pollingHealthy={status.pollingHealthy}
          online={status.online}
          pollingInterval={status.pollingInterval}
          feedDelay={status.feedDelay}
          pending={status.pending}
          wireFormat={status.wireFormat}
          staleAfterMs={status.pollingInterval * 2 + 15_000}
        />
      </header>
      <main>
        <AlertNotices />
        <SymbolSearch
          symbols={symbols}
          exclude={watchlist.symbols}
          onAdd={watchlist.add}
          loadError={symbolsError}
        />
        <section aria-labelledby="watchlist-heading" className="watchlist">
          <h2 id="watchlist-heading">Watchlist</h2>
          {watchlist.symbols.length === 0 ? (
            <p className="empty" data-testid="watchlist-empty">
              Your watchlist is empty. Add a symbol above to follow its price live.
            </p>
          ) : (
            <div className="table-scroll">
              <table data-testid="watchlist">
                <caption className="visually-hidden">Watchlist prices, updated live</caption>
                <thead>
                  <tr>
                    <th scope="col">Symbol</th>
                    <th scope="col" className="num">Price</th>
                    <th scope="col" className="num narrow-hide">Change</th>
                    <th scope="col" className="num">Change %</th>
                    <th scope="col" className="num optional">Volume</th>
                    <th scope="col" className="num optional">Day low – high</th>
                    <th scope="col" className="phone-hide">Updated</th>
                    <th scope="col" className="optional">Trend</th>
                    <th scope="col"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody onClick={chart.onRowClick}>
                  {watchlist.symbols.map((symbol) => (
                    <WatchlistRow key={symbol} symbol={symbol} now={now} onRemove={watchlist.remove} />
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        {chart.selected && <IntradayChart key={chart.selected} symbol={chart.selected} onClose={chart.close} />}
      </main>
      <footer className="app-footer">
        <small>
          Prices are for illustration. {status.isRealTime ? 'Streaming over WebSocket.' : 'Polling the REST API.'}
        </small>
      </footer>
    </div>
  );
}
