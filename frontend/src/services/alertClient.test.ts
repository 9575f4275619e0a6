import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeSocketFactory } from '../test/FakeWebSocket';
import type { AlertTriggeredMessage } from '../types/messages';
import { AlertClient } from './alertClient';
import { AlertInbox, SEEN_ALERTS_KEY } from './realtime/alertInbox';
import { WebSocketService } from './WebSocketService';
import { QuoteApiError } from './quoteApi';

const RULE = { alertId: 'a1', symbol: 'TCS', above: 150 };
const FIRED: AlertTriggeredMessage = { type: 'alert_triggered', alert: RULE, price: 160, triggeredAt: '2024-01-10T10:30:00Z' };

function setup(fetchAlerts = vi.fn().mockResolvedValue({ alerts: [], pending: [] })) {
  window.localStorage.removeItem(SEEN_ALERTS_KEY);
  const factory = new FakeSocketFactory();
  const service = new WebSocketService(
    { url: 'ws://edge.test/ws', heartbeatInterval: 0 },
    { createSocket: factory.create, random: () => 0.5, windowTarget: new EventTarget(), documentTarget: null },
  );
  const notify = vi.fn();
  const acknowledge = vi.fn().mockResolvedValue(undefined);
  const client = new AlertClient(service, {
    fetchAlerts,
    acknowledge,
    inbox: new AlertInbox(window.localStorage),
    notify,
    pollIntervalMs: 1000,
  });
  client.start();
  return { service, factory, client, notify, acknowledge, fetchAlerts };
}

const sentAlerts = (factory: FakeSocketFactory) =>
  factory.latest.sent.map((f) => JSON.parse(String(f))).filter((m) => m.action === 'alert');

describe('AlertClient', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lists on connect, shows a fired alert once however often it comes, and acknowledges every copy', () => {
    const { service, factory, client, notify } = setup();
    service.connect();
    factory.latest.open();
    expect(sentAlerts(factory)).toEqual([{ action: 'alert', op: 'list' }]);
    factory.latest.receive({ type: 'alerts', alerts: [RULE] });
    expect(client.getSnapshot().alerts).toEqual([RULE]);

    factory.latest.receive(FIRED);
    factory.latest.receive(FIRED);
    expect(client.getSnapshot().notices).toHaveLength(1);
    expect(client.getSnapshot().alerts).toEqual([]);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(sentAlerts(factory).filter((m) => m.op === 'ack')).toEqual([
      { action: 'alert', op: 'ack', alertId: 'a1' },
      { action: 'alert', op: 'ack', alertId: 'a1' },
    ]);
    service.dispose();
    client.stop();
  });

  it('creates and deletes over the socket only while it is open, and shows the limit error', () => {
    const { service, factory, client } = setup();
    expect(client.create('TCS', { above: 1 })).toBe(false);
    service.connect();
    factory.latest.open();
    expect(client.create('TCS', { movePercent: 2, windowSeconds: 60 })).toBe(true);
    expect(client.remove('a9')).toBe(true);
    expect(sentAlerts(factory).slice(1)).toEqual([
      { action: 'alert', op: 'create', symbol: 'TCS', movePercent: 2, windowSeconds: 60 },
      { action: 'alert', op: 'delete', alertId: 'a9' },
    ]);
    factory.latest.receive({ type: 'error', code: 'ALERT_LIMIT_EXCEEDED', message: 'At most 5 alerts' });
    expect(client.getSnapshot().error).toBe('At most 5 alerts');
    service.dispose();
    client.stop();
  });

  it('without a socket, polls the REST API, shows what is pending once and acknowledges it there', async () => {
    const fetchAlerts = vi.fn().mockResolvedValue({ alerts: [RULE], pending: [FIRED] });
    const { client, acknowledge, notify } = setup(fetchAlerts);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetchAlerts).toHaveBeenCalledTimes(2);
    expect(client.getSnapshot().notices).toHaveLength(1);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(acknowledge).toHaveBeenCalledWith('a1');
    client.stop();
  });

  it('stops polling when the edge says alerts over REST need authentication', async () => {
    const fetchAlerts = vi.fn().mockRejectedValue(new QuoteApiError('alerts over REST need AUTH_MODE=jwt', 400));
    const { client } = setup(fetchAlerts);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetchAlerts).toHaveBeenCalledTimes(1);
    client.stop();
  });
});
