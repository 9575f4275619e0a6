import { vi } from 'vitest';
import { resetTransportChoice } from '../services';
import { feedStatus } from '../services/feedStatus';
import { WebSocketService } from '../services/WebSocketService';
import { FakeSocketFactory } from './FakeWebSocket';

/**
 * Puts a WebSocketService on fake sockets behind the App, clears the per-page singletons and stubs
 * fetch with the given edge. Returns the factory that holds every socket the service opens.
 */
export function installAppHarness(edge: (url: string) => Promise<Response>): FakeSocketFactory {
  const factory = new FakeSocketFactory();
  WebSocketService.setInstance(
    new WebSocketService(
      { url: 'ws://edge.test/ws', heartbeatInterval: 0 },
      { createSocket: factory.create, windowTarget: new EventTarget(), documentTarget: null },
    ),
  );
  resetTransportChoice();
  feedStatus.reset();
  vi.stubGlobal('fetch', vi.fn(edge));
  return factory;
}

export function removeAppHarness(): void {
  WebSocketService.setInstance(null);
  vi.unstubAllGlobals();
}
