import type {AuthOptions} from '../../options';
import type {SelectionRequest} from '../../client/launcher';

/** What both chat UIs receive from the window. */
export type ChatProps = {
  /** `<serverUrl>/chatkit` */
  url: string;
  domainKey: string;
  /** The custom fetch: token, Accept-Language and the page context on every request. */
  fetch: typeof fetch;
  /** The reader's language (the site locale's BCP 47 tag). */
  language: string;
  siteUrl: string;
  baseUrl: string;
  /** A passage the reader asked about, not yet sent. */
  selection: SelectionRequest | null;
  auth: AuthOptions;
};
