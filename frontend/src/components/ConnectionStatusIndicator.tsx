import { useId, useState } from 'react';
import { formatAge, useNow } from '../hooks/useNow';
import { ConnectionState } from '../services/WebSocketService';

export type ConnectionStatus = 'live' | 'delayed' | 'offline' | 'reconnecting';

export interface ConnectionStatusIndicatorProps {
  isConnected: boolean;
  isRealTime: boolean;
  lastUpdate: Date | null;
  latency?: number;
  showDetails?: boolean; // Show tooltip with details
  position?: 'top-right' | 'top-left' | 'bottom-right' | 'bottom-left';
  // Extensions: finer state for the Reconnecting and Offline cases.
  connectionState?: ConnectionState;
  reconnectAttempts?: number;
  /** False when the last REST poll failed: polling cannot deliver, so Offline. */
  pollingHealthy?: boolean;
  /** navigator.onLine. */
  online?: boolean;
  /** Polling data older than this is stale (Offline). Default 75 s (two missed 30 s polls). */
  staleAfterMs?: number;
  pollingInterval?: number;
  /** Median delay from the source to this browser, ms (shown in the details). */
  feedDelay?: number | null;
  /** Nothing known yet (first poll in flight): shown as Connecting..., not Offline. */
  pending?: boolean;
  /** Render inline rather than fixed to a corner. */
  inline?: boolean;
  /** The open socket's wire format: MessagePack is named in the details. */
  wireFormat?: 'json' | 'msgpack' | null;
}

export interface StatusInputs {
  isConnected: boolean;
  isRealTime: boolean;
  lastUpdate: Date | null;
  connectionState?: ConnectionState;
  pollingHealthy?: boolean;
  online?: boolean;
  staleAfterMs?: number;
  pending?: boolean;
}

/**
 * The seed's four states. Live: WebSocket open. Reconnecting: still on the WebSocket path but not
 * open (before the polling fallback). Delayed: polling and polls succeed. Offline: neither path
 * delivers (browser offline, polls failing, or data stale).
 */
export function deriveConnectionStatus(p: StatusInputs, now: number = Date.now()): ConnectionStatus {
  if (p.online === false) return 'offline';
  if (p.isConnected && p.isRealTime) return 'live';
  if (p.isRealTime && p.connectionState !== ConnectionState.CLOSED) return 'reconnecting';
  if (p.pending && !p.lastUpdate) return 'reconnecting';
  if (p.pollingHealthy === false) return 'offline';
  const staleAfter = p.staleAfterMs ?? 75_000;
  if (p.lastUpdate && now - p.lastUpdate.getTime() <= staleAfter) return 'delayed';
  if (p.pollingHealthy === true) return 'delayed';
  return 'offline';
}

const LABELS: Record<ConnectionStatus, string> = {
  live: 'Live',
  delayed: 'Delayed',
  offline: 'Offline',
  reconnecting: 'Reconnecting...',
};

const DESCRIPTIONS: Record<ConnectionStatus, string> = {
  live: 'Real-time updates over WebSocket.',
  delayed: 'Real-time connection unavailable: prices are polled.',
  offline: 'No connection: prices may be stale.',
  reconnecting: 'Connection lost: trying to reconnect.',
};

export function ConnectionStatusIndicator(props: ConnectionStatusIndicatorProps) {
  const { isConnected, isRealTime, lastUpdate, latency, showDetails = false, position = 'top-right' } = props;
  const now = useNow(1000);
  const tooltipId = useId();
  const [open, setOpen] = useState(false);
  const status = deriveConnectionStatus(props, now);
  const connecting =
    props.connectionState === ConnectionState.CONNECTING || (!isRealTime && props.pending === true && !lastUpdate);
  const label = status === 'reconnecting' && connecting ? 'Connecting...' : LABELS[status];
  const pollingSeconds = Math.round((props.pollingInterval ?? 30_000) / 1000);

  const classes = ['status-indicator', `status-${status}`, props.inline ? 'status-inline' : `status-${position}`].join(' ');
  return (
    <div
      className={classes}
      data-testid="connection-status"
      data-status={status}
      data-connected={String(isConnected)}
      data-realtime={String(isRealTime)}
      role="status"
      aria-live="polite"
      aria-describedby={showDetails ? tooltipId : undefined}
      tabIndex={showDetails ? 0 : undefined}
      onMouseEnter={() => setOpen(true)}
      onMouseLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(e) => {
        if (e.key === 'Escape') setOpen(false);
      }}
    >
      <span className="status-dot" aria-hidden="true" />
      <span className="status-label" data-testid="connection-status-label">
        {label}
      </span>
      {showDetails && (
        <div id={tooltipId} role="tooltip" className={`status-tooltip${open ? ' open' : ''}`} data-testid="connection-details">
          <p className="status-description">{DESCRIPTIONS[status]}</p>
          <dl>
            <dt>Mode</dt>
            <dd data-testid="detail-mode">{isRealTime ? `WebSocket${props.wireFormat === 'msgpack' ? ' (MessagePack)' : ''}` : `Polling every ${pollingSeconds} s`}</dd>
            <dt>Latency</dt>
            <dd data-testid="detail-latency">{isConnected && latency != null && latency > 0 ? `${Math.round(latency)} ms` : '—'}</dd>
            {props.feedDelay != null && (
              <>
                <dt>Feed delay</dt>
                <dd data-testid="detail-feed-delay">{`${Math.round(props.feedDelay)} ms`}</dd>
              </>
            )}
            <dt>Last update</dt>
            <dd data-testid="detail-last-update">{formatAge(lastUpdate, now)}</dd>
            <dt>Reconnect attempts</dt>
            <dd data-testid="detail-reconnect-attempts">{props.reconnectAttempts ?? 0}</dd>
          </dl>
        </div>
      )}
    </div>
  );
}
