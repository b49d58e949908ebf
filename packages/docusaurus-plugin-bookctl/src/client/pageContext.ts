/**
 * Which page the reader is on: set by the route tracker (a client module), read by the widget.
 * One small store, so the data flows one way: route change -> store -> widget -> every request.
 */
export type PageContext = {
  /** Doc id as Docusaurus computes it (`ros2/architecture`); null on pages that are not docs. */
  docId: string | null;
  /** Docs plugin instance ("default") and version name ("current" for the docs folder). */
  instance: string | null;
  version: string | null;
  /** The site locale (`en`, `fr`) and the path the reader is on (baseUrl included, no hash). */
  locale: string;
  path: string;
};

type Listener = () => void;

let current: PageContext = {docId: null, instance: null, version: null, locale: 'en', path: '/'};
const listeners = new Set<Listener>();

export function getPageContext(): PageContext {
  return current;
}

export function setPageContext(next: PageContext): void {
  current = next;
  listeners.forEach((listener) => listener());
}

export function subscribePageContext(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The page context as it travels in a ChatKit request's `metadata` (snake_case, like the protocol).
 * The title is read when the request is made: on a client-side navigation the head updates after
 * the route does.
 */
export function pageMetadata(page: PageContext): Record<string, string | null> {
  return {
    doc_id: page.docId,
    instance: page.instance,
    version: page.version,
    locale: page.locale,
    path: page.path,
    title: typeof document === 'undefined' ? null : document.title,
  };
}
