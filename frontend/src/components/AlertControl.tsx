import { useState } from 'react';
import { useAlerts } from '../hooks/useAlerts';
import { askForNotifications, describeRule, getAlertClient, type AlertCondition } from '../services/alertClient';

type Kind = 'above' | 'below' | 'move';

/** Drawn, not an emoji: not every system has a font with one (headless Chromium on a server has none). */
export function BellIcon() {
  return (
    <svg className="bell-icon" width="14" height="14" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1Z"
      />
    </svg>
  );
}

/** A watchlist row's alerts: how many, and on demand a small form to add one and the list to delete them. */
export function AlertControl({ symbol }: { symbol: string }) {
  const { alerts, error, canEdit } = useAlerts();
  const mine = alerts.filter((a) => a.symbol === symbol);
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<Kind>('above');
  const [value, setValue] = useState('');
  const [windowSeconds, setWindowSeconds] = useState('300');

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) return;
    const condition: AlertCondition =
      kind === 'above' ? { above: n } : kind === 'below' ? { below: n } : { movePercent: n, windowSeconds: Number(windowSeconds) };
    askForNotifications();
    if (getAlertClient().create(symbol, condition)) setValue('');
  };

  return (
    <span className="alert-control">
      <button
        type="button"
        className="alert-button"
        data-testid={`alerts-${symbol}`}
        aria-expanded={open}
        aria-label={`Price alerts for ${symbol} (${mine.length})`}
        onClick={() => setOpen((o) => !o)}
      >
        <BellIcon />
        {mine.length > 0 ? <span className="alert-count">{mine.length}</span> : null}
      </button>
      {open && (
        <div className="alert-panel" data-testid={`alert-panel-${symbol}`}>
          <ul className="alert-list">
            {mine.map((a) => (
              <li key={a.alertId} data-testid={`alert-${a.alertId}`}>
                {describeRule(a)}
                <button
                  type="button"
                  className="alert-delete"
                  disabled={!canEdit}
                  aria-label={`Delete the ${symbol} alert ${describeRule(a)}`}
                  onClick={() => getAlertClient().remove(a.alertId)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
          <form onSubmit={submit} aria-label={`New alert for ${symbol}`}>
            <select aria-label="Condition" value={kind} onChange={(e) => setKind(e.target.value as Kind)} data-testid={`alert-kind-${symbol}`}>
              <option value="above">Price at or above</option>
              <option value="below">Price at or below</option>
              <option value="move">Moves by %</option>
            </select>
            <input
              aria-label={kind === 'move' ? 'Percent' : 'Price'}
              inputMode="decimal"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              data-testid={`alert-value-${symbol}`}
              size={8}
            />
            {kind === 'move' && (
              <input
                aria-label="Within seconds"
                inputMode="numeric"
                value={windowSeconds}
                onChange={(e) => setWindowSeconds(e.target.value)}
                size={5}
              />
            )}
            <button type="submit" disabled={!canEdit} data-testid={`alert-add-${symbol}`}>
              Add alert
            </button>
          </form>
          {!canEdit && <p className="alert-hint">Alerts can be changed while the live connection is up.</p>}
          {error && (
            <p className="alert-error" role="alert">
              {error}
            </p>
          )}
        </div>
      )}
    </span>
  );
}
