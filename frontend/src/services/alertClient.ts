import { appConfig } from '../config/appConfig';
import type { AlertMessage, AlertRule, AlertTriggeredMessage, ServerMessage } from '../types/messages';
import { AlertInbox } from './realtime/alertInbox';
import { ConnectionState, type WebSocketService } from './WebSocketService';
import { acknowledgeAlert, fetchAlerts, QuoteApiError } from './quoteApi';
import { getWebSocketService, transportChoice } from './index';

/** What a create asks for: exactly one condition, as the protocol's alert op. */
export type AlertCondition =
  | { above: number }
  | { below: number }
  | { movePercent: number; windowSeconds: number };

export interface AlertSnapshot {
  /** Alerts that have not fired yet (of this connection, or of the signed-in user). */
  alerts: AlertRule[];
  /** Fired alerts to show, newest first, until dismissed. */
  notices: AlertTriggeredMessage[];
  /** The last refusal of an alert op (e.g. the limit), for the form to show. */
  error: string | null;
  /** False while alerts cannot be changed (no open socket). */
  canEdit: boolean;
}

export interface AlertClientDeps {
  fetchAlerts: typeof fetchAlerts;
  acknowledge: (alertId: string) => Promise<void>;
  inbox: AlertInbox;
  /** The browser notification, when the user allowed them. */
  notify: (fired: AlertTriggeredMessage) => void;
  pollIntervalMs: number;
}

/**
 * Price alerts for the page: over the socket (create, delete, list, ack) and, while no socket is open,
 * over REST (GET /api/alerts for the alerts and the fired ones pending; each shown is acknowledged).
 * Each fired alert is shown once per browser (AlertInbox), however often the edge repeats it.
 */
export class AlertClient {
  private snapshot: AlertSnapshot = { alerts: [], notices: [], error: null, canEdit: false };
  private readonly listeners = new Set<() => void>();
  private poller: ReturnType<typeof setInterval> | null = null;
  private restAvailable = true;
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly service: WebSocketService | null,
    private readonly deps: AlertClientDeps,
  ) {}

  start(): void {
    if (this.service) {
      this.stops.push(this.service.onMessage((m) => this.onMessage(m)));
      this.stops.push(
        this.service.onConnectionChange((state) => {
          this.update({ canEdit: state === ConnectionState.OPEN });
          if (state === ConnectionState.OPEN) this.send({ action: 'alert', op: 'list' });
        }),
      );
      if (this.service.isConnected()) {
        this.update({ canEdit: true });
        this.send({ action: 'alert', op: 'list' });
      }
    }
    void this.poll();
    this.poller = setInterval(() => void this.poll(), this.deps.pollIntervalMs);
  }

  stop(): void {
    this.stops.splice(0).forEach((s) => s());
    if (this.poller) clearInterval(this.poller);
    this.poller = null;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): AlertSnapshot => this.snapshot;

  /** False when no socket is open to take it. */
  create(symbol: string, condition: AlertCondition): boolean {
    this.update({ error: null });
    return this.send({ action: 'alert', op: 'create', symbol, ...condition });
  }

  remove(alertId: string): boolean {
    return this.send({ action: 'alert', op: 'delete', alertId });
  }

  dismiss(alertId: string): void {
    this.update({ notices: this.snapshot.notices.filter((n) => n.alert.alertId !== alertId) });
  }

  private send(message: AlertMessage): boolean {
    if (!this.service?.isConnected()) return false;
    return this.service.send(message);
  }

  private onMessage(message: ServerMessage): void {
    if (message.type === 'alerts') {
      this.update({ alerts: message.alerts });
    } else if (message.type === 'alert_triggered') {
      this.fired(message, () => this.send({ action: 'alert', op: 'ack', alertId: message.alert.alertId }));
    } else if (message.type === 'error' && message.code === 'ALERT_LIMIT_EXCEEDED') {
      this.update({ error: message.message });
    }
  }

  /** Shown once; acknowledged every time it comes (the edge stops only on an ack). */
  private fired(message: AlertTriggeredMessage, acknowledge: () => void): void {
    if (this.deps.inbox.admit(message.alert.alertId)) {
      this.update({
        notices: [message, ...this.snapshot.notices],
        alerts: this.snapshot.alerts.filter((a) => a.alertId !== message.alert.alertId),
      });
      this.deps.notify(message);
    }
    acknowledge();
  }

  /** The REST path, only while no socket is open (the socket brings the same alerts itself). */
  private async poll(): Promise<void> {
    if (!this.restAvailable || this.service?.isConnected()) return;
    try {
      const body = await this.deps.fetchAlerts();
      this.update({ alerts: body.alerts ?? [] });
      for (const fired of body.pending ?? []) {
        this.fired(fired, () => void this.deps.acknowledge(fired.alert.alertId).catch(() => undefined));
      }
    } catch (e) {
      // without AUTH_MODE=jwt alerts live on a socket: there is nothing to poll
      if (e instanceof QuoteApiError && e.status === 400) this.restAvailable = false;
    }
  }

  private update(patch: Partial<AlertSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.listeners.forEach((l) => l());
  }
}

function browserNotification(fired: AlertTriggeredMessage): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification(`${fired.alert.symbol} alert`, { body: describeFired(fired), tag: fired.alert.alertId });
  } catch {
    // some browsers allow notifications only from a service worker: the page's notice is enough
  }
}

/** Asked from a click (browsers ignore the request otherwise), once. */
export function askForNotifications(): void {
  if (typeof Notification !== 'undefined' && Notification.permission === 'default') {
    void Notification.requestPermission().catch(() => undefined);
  }
}

export function describeRule(rule: AlertRule): string {
  if (rule.above != null) return `price ≥ ${rule.above}`;
  if (rule.below != null) return `price ≤ ${rule.below}`;
  return `moves ${rule.movePercent}% within ${rule.windowSeconds}s`;
}

export function describeFired(fired: AlertTriggeredMessage): string {
  return `${fired.alert.symbol} ${describeRule(fired.alert)}: now ${fired.price}`;
}

let client: AlertClient | null = null;

/** The page's alert client, started on first use. */
export function getAlertClient(): AlertClient {
  if (!client) {
    let storage: Storage | null = null;
    try {
      storage = typeof localStorage !== 'undefined' ? localStorage : null;
    } catch {
      storage = null;
    }
    client = new AlertClient(transportChoice().useWebSocket ? getWebSocketService() : null, {
      fetchAlerts,
      acknowledge: acknowledgeAlert,
      inbox: new AlertInbox(storage),
      notify: browserNotification,
      pollIntervalMs: Math.min(appConfig().pollingInterval, 10_000),
    });
    client.start();
  }
  return client;
}
