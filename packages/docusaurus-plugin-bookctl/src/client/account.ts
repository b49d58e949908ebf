/**
 * The reader's account on bookctl's accounts service (services/auth: Better Auth), through Better
 * Auth's React client with its JWT plugin. Loaded on first use (the navbar item, the chat's first
 * request), so pages carry none of it until then.
 *
 * The session travels as a bearer token (Better Auth's bearer plugin: `set-auth-token` on sign-in,
 * kept in localStorage), not as the service's cookie, so the service may live on another domain than
 * the site. What the chat sends to `bookctl serve` is a short-lived JWT from `/api/auth/token`.
 */
import {createAuthClient} from 'better-auth/react';
import {jwtClient} from 'better-auth/client/plugins';
import {authChanged} from './auth';

const SESSION_KEY = 'bookctl.auth.session';

function storedSession(): string {
  try {
    return window.localStorage.getItem(SESSION_KEY) ?? '';
  } catch {
    return ''; // storage disabled: signed out
  }
}

function storeSession(token: string | null): void {
  try {
    if (token) window.localStorage.setItem(SESSION_KEY, token);
    else window.localStorage.removeItem(SESSION_KEY);
  } catch {
    // storage disabled: the session lasts as long as the page
  }
}

function create(baseURL: string) {
  return createAuthClient({
    baseURL,
    plugins: [jwtClient()],
    fetchOptions: {
      auth: {type: 'Bearer', token: storedSession},
      onSuccess: (context) => {
        const token = context.response.headers.get('set-auth-token');
        if (token) storeSession(token);
      },
    },
  });
}

export type AccountClient = ReturnType<typeof create>;

const clients = new Map<string, AccountClient>();

export function accountClient(serviceUrl: string): AccountClient {
  const baseURL = serviceUrl.replace(/\/+$/, '');
  let client = clients.get(baseURL);
  if (!client) {
    client = create(baseURL);
    clients.set(baseURL, client);
  }
  return client;
}

/** A fresh JWT for `bookctl serve`, or null when nobody is signed in here. */
export async function accountToken(serviceUrl: string): Promise<string | null> {
  if (!storedSession()) return null; // never signed in on this browser: no request at all
  const {data} = await accountClient(serviceUrl).token();
  return data?.token ?? null;
}

function failure(error: {message?: string; status?: number} | null, fallback: string): Error {
  return new Error(error?.message || (error?.status === 429 ? 'Too many attempts: wait a few seconds.' : fallback));
}

export async function signIn(serviceUrl: string, email: string, password: string): Promise<void> {
  const {error} = await accountClient(serviceUrl).signIn.email({email, password});
  if (error) throw failure(error, 'Could not sign in.');
  authChanged();
}

export async function signUp(serviceUrl: string, name: string, email: string, password: string): Promise<void> {
  const {error} = await accountClient(serviceUrl).signUp.email({name, email, password});
  if (error) throw failure(error, 'Could not create the account.');
  authChanged();
}

export async function signOut(serviceUrl: string): Promise<void> {
  try {
    await accountClient(serviceUrl).signOut();
  } finally {
    storeSession(null);
    authChanged();
  }
}
