import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionState } from '../services/WebSocketService';
import { ConnectionStatusIndicator, deriveConnectionStatus } from './ConnectionStatusIndicator';

const NOW = Date.parse('2026-11-29T10:00:00Z');
const secondsAgo = (s: number) => new Date(NOW - s * 1000);

describe('deriveConnectionStatus', () => {
  it('is Live when the socket is open and data is real time', () => {
    expect(deriveConnectionStatus({ isConnected: true, isRealTime: true, lastUpdate: secondsAgo(1) }, NOW)).toBe('live');
  });

  it('is Reconnecting while on the WebSocket path but not connected', () => {
    for (const state of [ConnectionState.RECONNECTING, ConnectionState.CONNECTING, undefined]) {
      expect(
        deriveConnectionStatus({ isConnected: false, isRealTime: true, lastUpdate: secondsAgo(5), connectionState: state }, NOW),
      ).toBe('reconnecting');
    }
  });

  it('is Delayed while polling delivers fresh data', () => {
    expect(
      deriveConnectionStatus({ isConnected: false, isRealTime: false, lastUpdate: secondsAgo(20), pollingHealthy: true }, NOW),
    ).toBe('delayed');
    expect(deriveConnectionStatus({ isConnected: false, isRealTime: false, lastUpdate: secondsAgo(20) }, NOW)).toBe('delayed');
  });

  it('is Offline when polls fail, data is stale, or the browser is offline', () => {
    expect(
      deriveConnectionStatus({ isConnected: false, isRealTime: false, lastUpdate: secondsAgo(5), pollingHealthy: false }, NOW),
    ).toBe('offline');
    expect(deriveConnectionStatus({ isConnected: false, isRealTime: false, lastUpdate: secondsAgo(300) }, NOW)).toBe('offline');
    expect(deriveConnectionStatus({ isConnected: false, isRealTime: false, lastUpdate: null }, NOW)).toBe('offline');
    expect(
      deriveConnectionStatus({ isConnected: true, isRealTime: true, lastUpdate: secondsAgo(1), online: false }, NOW),
    ).toBe('offline');
    expect(
      deriveConnectionStatus(
        { isConnected: false, isRealTime: true, lastUpdate: null, connectionState: ConnectionState.CLOSED },
        NOW,
      ),
    ).toBe('offline');
  });
});

describe('ConnectionStatusIndicator', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  it.each([
    [{ isConnected: true, isRealTime: true }, 'live', 'Live'],
    [{ isConnected: false, isRealTime: false, pollingHealthy: true }, 'delayed', 'Delayed'],
    [{ isConnected: false, isRealTime: false, pollingHealthy: false }, 'offline', 'Offline'],
    [{ isConnected: false, isRealTime: true, connectionState: ConnectionState.RECONNECTING }, 'reconnecting', 'Reconnecting...'],
  ])('renders %o as %s', (props, status, label) => {
    render(<ConnectionStatusIndicator lastUpdate={secondsAgo(3)} {...props} />);
    const indicator = screen.getByTestId('connection-status');
    expect(indicator.dataset.status).toBe(status);
    expect(indicator.className).toContain(`status-${status}`);
    expect(indicator).toHaveProperty('textContent', label);
    expect(indicator.getAttribute('role')).toBe('status');
  });

  it('says Connecting... on the very first connection attempt', () => {
    render(
      <ConnectionStatusIndicator isConnected={false} isRealTime lastUpdate={null} connectionState={ConnectionState.CONNECTING} />,
    );
    expect(screen.getByTestId('connection-status-label').textContent).toBe('Connecting...');
    expect(screen.getByTestId('connection-status').dataset.status).toBe('reconnecting');
  });

  it('says Connecting... rather than Offline while the first poll of a polling page is in flight', () => {
    const { rerender } = render(<ConnectionStatusIndicator isConnected={false} isRealTime={false} lastUpdate={null} pending />);
    expect(screen.getByTestId('connection-status').dataset.status).toBe('reconnecting');
    expect(screen.getByTestId('connection-status-label').textContent).toBe('Connecting...');
    rerender(<ConnectionStatusIndicator isConnected={false} isRealTime={false} lastUpdate={null} pollingHealthy={false} />);
    expect(screen.getByTestId('connection-status').dataset.status).toBe('offline');
  });

  it('is placed in the requested corner (top-right by default)', () => {
    const { rerender } = render(<ConnectionStatusIndicator isConnected isRealTime lastUpdate={null} />);
    expect(screen.getByTestId('connection-status').className).toContain('status-top-right');
    rerender(<ConnectionStatusIndicator isConnected isRealTime lastUpdate={null} position="bottom-left" />);
    expect(screen.getByTestId('connection-status').className).toContain('status-bottom-left');
  });

  it('shows latency, last update age and reconnect attempts in a tooltip on focus', () => {
    render(
      <ConnectionStatusIndicator
        isConnected
        isRealTime
        lastUpdate={secondsAgo(12)}
        latency={37.4}
        reconnectAttempts={2}
        feedDelay={183.6}
        showDetails
      />,
    );
    const indicator = screen.getByTestId('connection-status');
    const tooltip = screen.getByRole('tooltip', { hidden: true });
    expect(indicator.getAttribute('aria-describedby')).toBe(tooltip.id);
    expect(indicator.tabIndex).toBe(0);
    expect(tooltip.className).not.toContain('open');
    fireEvent.focus(indicator);
    expect(tooltip.className).toContain('open');
    expect(screen.getByTestId('detail-latency').textContent).toBe('37 ms');
    expect(screen.getByTestId('detail-last-update').textContent).toBe('12 s ago');
    expect(screen.getByTestId('detail-reconnect-attempts').textContent).toBe('2');
    expect(screen.getByTestId('detail-feed-delay').textContent).toBe('184 ms');
    expect(screen.getByTestId('detail-mode').textContent).toBe('WebSocket');
    act(() => {
      vi.advanceTimersByTime(5000);
    });
    expect(screen.getByTestId('detail-last-update').textContent).toBe('17 s ago');
    fireEvent.keyDown(indicator, { key: 'Escape' });
    expect(tooltip.className).not.toContain('open');
  });

  it('names MessagePack in the mode when the socket negotiated it', () => {
    const { rerender } = render(<ConnectionStatusIndicator isConnected isRealTime lastUpdate={null} showDetails wireFormat="msgpack" />);
    expect(screen.getByTestId('detail-mode').textContent).toBe('WebSocket (MessagePack)');
    rerender(<ConnectionStatusIndicator isConnected isRealTime lastUpdate={null} showDetails wireFormat="json" />);
    expect(screen.getByTestId('detail-mode').textContent).toBe('WebSocket');
  });

  it('has no tooltip without showDetails', () => {
    render(<ConnectionStatusIndicator isConnected isRealTime lastUpdate={null} />);
    expect(screen.queryByTestId('connection-details')).toBeNull();
  });

  it('shows the polling interval in Delayed mode', () => {
    render(
      <ConnectionStatusIndicator isConnected={false} isRealTime={false} lastUpdate={secondsAgo(3)} showDetails pollingInterval={30_000} />,
    );
    expect(screen.getByTestId('detail-mode').textContent).toBe('Polling every 30 s');
    expect(screen.getByTestId('detail-latency').textContent).toBe('—');
  });
});
