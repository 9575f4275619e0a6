import { useState } from 'react';
import { useAlerts } from '../hooks/useAlerts';
import { askForNotifications, describeRule, getAlertClient, type AlertCondition } from '../services/alertClient';

type Kind = 'above' | 'below' | 'move';

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
        🔔{mine.length > 0 ? <span className="alert-count">{mine.length}</span> : null}
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
