/**
 * Where a sign-in flow leaves the edge's JWT (AUTH_MODE=jwt). Read at every WebSocket (re)connection and
 * every REST call, so a renewed token is used by both.
 */
export const AUTH_TOKEN_KEY = 'stocktracker.authToken';

export function readAuthToken(): string | null {
  try {
    return typeof sessionStorage !== 'undefined' ? sessionStorage.getItem(AUTH_TOKEN_KEY) : null;
  } catch {
    return null;
  }
}
