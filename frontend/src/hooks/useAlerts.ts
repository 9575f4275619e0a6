import { useSyncExternalStore } from 'react';
import { getAlertClient, type AlertSnapshot } from '../services/alertClient';

/** The page's price alerts and fired-alert notices. */
export function useAlerts(): AlertSnapshot {
  const client = getAlertClient();
  return useSyncExternalStore(client.subscribe, client.getSnapshot);
}
