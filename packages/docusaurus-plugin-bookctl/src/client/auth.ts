/**
 * The reader's token for `bookctl serve`. A site with its own sign-in registers a provider
 * (`registerTokenProvider`); otherwise, with `auth.tokenUrl` set, the token is fetched from there with
 * the reader's cookies (Better Auth's `/api/auth/token` answers `{"token": "..."}`) and reused until
 * shortly before it expires. No token: the request goes out anonymous, and the server decides.
 */
import type {AuthOptions} from '../options';

export type TokenProvider = () => Promise<string | null>;

let provider: TokenProvider | null = null;
let cached: {token: string; expiresAt: number} | null = null;

export function registerTokenProvider(next: TokenProvider | null): void {
  provider = next;
  cached = null;
}

/** Forget the cached token (after sign-out, or when the server answered 401). */
export function clearToken(): void {
  cached = null;
}

function expiryOf(token: string): number {
  try {
    const payload = JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {exp?: number};
    if (typeof payload.exp === 'number') return payload.exp * 1000;
  } catch {
    // Not a JWT we can read: use it for a minute.
  }
  return Date.now() + 60_000;
}

export async function getToken(auth: AuthOptions): Promise<string | null> {
  if (cached && cached.expiresAt - Date.now() > 30_000) return cached.token;
  let token: string | null = null;
  if (provider) {
    token = await provider();
  } else if (auth.tokenUrl) {
    try {
      const response = await fetch(auth.tokenUrl, {credentials: 'include'});
      if (response.ok) {
        const body = (await response.json()) as {token?: unknown};
        token = typeof body.token === 'string' && body.token ? body.token : null;
      }
    } catch {
      token = null; // The auth service is unreachable: ask anonymously.
    }
  }
  cached = token ? {token, expiresAt: expiryOf(token)} : null;
  return token;
}
