/**
 * The app's settings, in one place. Build-time values come from the seed's VITE_* variables; the
 * edge's GET /config.js (loaded by index.html before the app) sets window.__STOCKTRACKER_CONFIG__,
 * which overrides them at run time so one build serves every environment.
 */

import type { WireFormat } from '../services/WebSocketService';

export interface RuntimeConfig {
  wsUrl?: string;
  enableWebSocket?: boolean;
  fallbackToPolling?: boolean;
  reconnectInterval?: number;
  /** Share of browsers (0-100) that use WebSocket: the seed's migration plan. */
  rolloutPercent?: number;
  // Extensions a deployment (or a test) may set as well.
  pollingInterval?: number;
  heartbeatInterval?: number;
  /** How long the edge's `connected` greeting may take after the socket opens, ms. */
  handshakeTimeout?: number;
  maxReconnectAttempts?: number;
  maxReconnectDelay?: number;
  messageQueueSize?: number;
  /** 'json' (default) or 'msgpack': the WebSocket wire format to ask the edge for. */
  wireFormat?: string;
}

declare global {
  interface Window {
    __STOCKTRACKER_CONFIG__?: RuntimeConfig;
  }
}

export interface AppConfig {
  wsUrl: string;
  enableWebSocket: boolean;
  fallbackToPolling: boolean;
  reconnectInterval: number;
  rolloutPercent: number;
  pollingInterval: number;
  heartbeatInterval: number;
  handshakeTimeout: number;
  maxReconnectAttempts: number;
  maxReconnectDelay: number;
  messageQueueSize: number;
  wireFormat: WireFormat;
}

export const DEFAULTS: Omit<AppConfig, 'wsUrl'> = {
  enableWebSocket: true,
  fallbackToPolling: true,
  reconnectInterval: 1000,
  rolloutPercent: 100,
  pollingInterval: 30_000,
  heartbeatInterval: 15_000,
  handshakeTimeout: 5000,
  maxReconnectAttempts: 10,
  maxReconnectDelay: 30_000,
  messageQueueSize: 100,
  wireFormat: 'json',
};

type Env = Record<string, string | boolean | undefined>;

/**
 * Resolves the config: runtime (/config.js) over build time (VITE_*) over defaults; `?wire=msgpack|json`
 * in the page URL overrides the wire format (support, tests, trying MessagePack on one tab).
 */
export function resolveConfig(
  env: Env,
  runtime: RuntimeConfig | undefined,
  loc: (Pick<Location, 'protocol' | 'host'> & Partial<Pick<Location, 'search'>>) | null,
): AppConfig {
  const r = runtime ?? {};
  const sameOrigin = loc && loc.host ? `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws` : 'ws://localhost:8081/ws';
  return {
    wsUrl: absoluteWsUrl(nonEmpty(r.wsUrl) ?? nonEmpty(str(env.VITE_WS_URL)) ?? sameOrigin, loc),
    enableWebSocket: bool(r.enableWebSocket) ?? bool(env.VITE_ENABLE_WEBSOCKET) ?? DEFAULTS.enableWebSocket,
    fallbackToPolling: bool(r.fallbackToPolling) ?? bool(env.VITE_FALLBACK_TO_POLLING) ?? DEFAULTS.fallbackToPolling,
    reconnectInterval: positive(r.reconnectInterval) ?? positive(env.VITE_WS_RECONNECT_INTERVAL) ?? DEFAULTS.reconnectInterval,
    rolloutPercent: percent(r.rolloutPercent) ?? percent(env.VITE_WS_ROLLOUT_PERCENT) ?? DEFAULTS.rolloutPercent,
    pollingInterval: positive(r.pollingInterval) ?? positive(env.VITE_POLLING_INTERVAL) ?? DEFAULTS.pollingInterval,
    heartbeatInterval: positive(r.heartbeatInterval) ?? DEFAULTS.heartbeatInterval,
    handshakeTimeout: positive(r.handshakeTimeout) ?? DEFAULTS.handshakeTimeout,
    maxReconnectAttempts: positive(r.maxReconnectAttempts) ?? DEFAULTS.maxReconnectAttempts,
    maxReconnectDelay: positive(r.maxReconnectDelay) ?? DEFAULTS.maxReconnectDelay,
    messageQueueSize: positive(r.messageQueueSize) ?? DEFAULTS.messageQueueSize,
    wireFormat:
      wireFormat(new URLSearchParams(loc?.search ?? '').get('wire')) ??
      wireFormat(r.wireFormat) ??
      wireFormat(env.VITE_WS_WIRE_FORMAT) ??
      DEFAULTS.wireFormat,
  };
}

let cached: AppConfig | null = null;

/** The config of this page (resolved once). */
export function appConfig(): AppConfig {
  if (!cached) {
    const runtime = typeof window !== 'undefined' ? window.__STOCKTRACKER_CONFIG__ : undefined;
    cached = resolveConfig(import.meta.env as unknown as Env, runtime, typeof location !== 'undefined' ? location : null);
  }
  return cached;
}

/** Tests only. */
export function resetAppConfig(): void {
  cached = null;
}

/** Accepts "/ws" or "//host/ws" as well as a full ws(s) URL; http(s) is turned into ws(s). */
export function absoluteWsUrl(url: string, loc: Pick<Location, 'protocol' | 'host'> | null): string {
  const secure = loc?.protocol === 'https:';
  if (/^wss?:\/\//i.test(url)) return url;
  if (/^https?:\/\//i.test(url)) return url.replace(/^http/i, 'ws');
  if (url.startsWith('//')) return `${secure ? 'wss' : 'ws'}:${url}`;
  if (url.startsWith('/') && loc?.host) return `${secure ? 'wss' : 'ws'}://${loc.host}${url}`;
  return url;
}

function wireFormat(v: unknown): WireFormat | undefined {
  const s = typeof v === 'string' ? v.trim().toLowerCase() : '';
  return s === 'json' || s === 'msgpack' ? s : undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() ? v.trim() : undefined;
}

function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(s)) return true;
    if (['false', '0', 'no', 'off'].includes(s)) return false;
  }
  return undefined;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function positive(v: unknown): number | undefined {
  const n = num(v);
  return n != null && n > 0 ? n : undefined;
}

function percent(v: unknown): number | undefined {
  const n = num(v);
  return n != null && n >= 0 && n <= 100 ? n : undefined;
}
