/**
 * The reader's token for `bookctl serve`. A site with its own sign-in registers a provider
 * (`registerTokenProvider`); otherwise, with `auth.tokenUrl` set, the token is fetched from there with
 * the reader's cookies (Better Auth's `/api/auth/token` answers `{"token": "..."}`) and reused until
 * shortly before it expires. With `auth.serviceUrl` (bookctl's accounts service), the token comes from
 * the signed-in reader's session there (`./account`, loaded on first use). No token: the request goes
 * out anonymous, and the server decides.
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

// Who is signed in changed (sign-in, sign-out): the chat starts afresh for the new reader.
let version = 0;
const listeners = new Set<() => void>();

export function subscribeAuth(listener: () => void): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function getAuthVersion(): number {
  return version;
}

export function authChanged(): void {
  cached = null;
  version += 1;
  for (const listener of listeners) listener();
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
  } else if (auth.serviceUrl) {
    try {
      const {accountToken} = await import('./account');
      token = await accountToken(auth.serviceUrl);
    } catch {
      token = null; // The accounts service is unreachable: ask anonymously.
    }
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
