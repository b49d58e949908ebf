/**
 * The widget's custom fetch, used by ChatKit (`api.fetch`) and by the fallback panel alike: it adds
 * the reader's token, the reader's language and the page they are on to every request.
 */
import type {AuthOptions} from '../options';
import {clearToken, getToken} from './auth';
import {type PageContext, pageMetadata} from './pageContext';

export type BookctlFetchOptions = {
  auth: AuthOptions;
  getPage: () => PageContext;
  /** BCP 47 tag of the site's locale (`fr`), sent as Accept-Language unless the caller set one. */
  language: string;
  /** The fetch to wrap (tests and ChatKit pass their own); defaults to the global one. */
  baseFetch?: typeof fetch;
};

function withPageMetadata(body: BodyInit | null | undefined, page: PageContext): BodyInit | null | undefined {
  if (typeof body !== 'string') return body;
  try {
    const request = JSON.parse(body) as {metadata?: Record<string, unknown>};
    if (!request || typeof request !== 'object' || Array.isArray(request)) return body;
    request.metadata = {...(request.metadata ?? {}), page: pageMetadata(page)};
    return JSON.stringify(request);
  } catch {
    return body; // not JSON: pass it on untouched
  }
}

export function createBookctlFetch({auth, getPage, language, baseFetch}: BookctlFetchOptions): typeof fetch {
  const send = (input: RequestInfo | URL, init?: RequestInit) => (baseFetch ?? fetch)(input, init);
  return async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const token = await getToken(auth);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    if (!headers.has('Accept-Language')) headers.set('Accept-Language', language);
    const response = await send(input, {...init, headers, body: withPageMetadata(init.body, getPage())});
    if (response.status === 401) clearToken();
    return response;
  };
}
