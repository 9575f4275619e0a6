import { useAlerts } from '../hooks/useAlerts';
import { describeFired, getAlertClient } from '../services/alertClient';
import { BellIcon } from './AlertControl';

/** Fired alerts, until dismissed: the visible notice (the browser notification is extra). */
export function AlertNotices() {
  const { notices } = useAlerts();
  if (notices.length === 0) return null;
  return (
    <section className="alert-notices" aria-label="Fired price alerts" role="status" data-testid="alert-notices">
      {notices.map((n) => (
        <div key={n.alert.alertId} className="alert-notice" data-testid={`alert-notice-${n.alert.alertId}`} data-symbol={n.alert.symbol}>
          <span>
            <BellIcon /> Alert: {describeFired(n)}
          </span>
          <button
            type="button"
            className="alert-dismiss"
            aria-label={`Dismiss the ${n.alert.symbol} alert`}
            onClick={() => getAlertClient().dismiss(n.alert.alertId)}
          >
            ×
          </button>
        </div>
      ))}
    </section>
  );
}
