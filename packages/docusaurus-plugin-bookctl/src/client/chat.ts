/** What both chat UIs (ChatKit and the fallback panel) share: the endpoint, the action for a selection, site links. */
import type {PageContext} from './pageContext';
import {pageMetadata} from './pageContext';
import type {SelectionRequest} from './launcher';

export const SELECTION_ACTION = 'bookctl.ask_selection';

/** `<serverUrl>/chatkit`, whatever the option's trailing slash. */
export function chatkitUrl(serverUrl: string): string {
  return `${serverUrl.replace(/\/+$/, '')}/chatkit`;
}

/**
 * The custom action for "Ask about this": the passage and the page and section it came from.
 * The server answers it from the passage only (as `bookctl ask --selection` does).
 */
export function selectionAction(selection: SelectionRequest, page: PageContext, question: string) {
  return {
    type: SELECTION_ACTION,
    payload: {
      text: selection.text,
      question,
      heading_id: selection.headingId,
      heading: selection.headingText,
      ...pageMetadata(page),
    },
  };
}

/**
 * A cited URL as a path of this site (`/fr/docs/ros2/architecture#nodes`), or null for another site.
 * The server cites absolute URLs (`url` + `baseUrl` of the site); links to them stay in the page's SPA.
 */
export function sitePath(url: string, siteUrl: string, baseUrl: string): string | null {
  let target: URL;
  try {
    target = new URL(url, window.location.href);
  } catch {
    return null;
  }
  const site = new URL(baseUrl, siteUrl);
  const sameSite = target.origin === site.origin || target.origin === window.location.origin;
  if (!sameSite || !target.pathname.startsWith(site.pathname)) return null;
  return `${target.pathname}${target.search}${target.hash}`;
}
