/**
 * Client module: after every navigation, work out which doc, version and locale the reader is on and
 * put it in the page-context store. Client modules cannot use hooks, so this reads the same generated
 * data the docs plugin's hooks read: the docs plugin's global data (each version's docs and their
 * paths) and the site's i18n.
 */
import type {ClientModule} from '@docusaurus/types';
import globalData from '@generated/globalData';
import i18n from '@generated/i18n';
import {setPageContext} from './pageContext';

type GlobalDoc = {id: string; path: string};
type GlobalVersion = {name: string; path: string; docs: GlobalDoc[]};
type DocsGlobalData = {path: string; versions: GlobalVersion[]};

const DOCS_PLUGIN = 'docusaurus-plugin-content-docs';

function trimSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export function findDoc(pathname: string): {instance: string; version: string; docId: string} | null {
  const instances = (globalData[DOCS_PLUGIN] ?? {}) as Record<string, DocsGlobalData>;
  const wanted = trimSlash(pathname);
  for (const [instance, data] of Object.entries(instances)) {
    for (const version of data.versions) {
      const doc = version.docs.find((d) => trimSlash(d.path) === wanted);
      if (doc) return {instance, version: version.name, docId: doc.id};
    }
  }
  return null;
}

const routeTracker: ClientModule = {
  onRouteDidUpdate({location}) {
    const found = findDoc(location.pathname);
    setPageContext({
      docId: found?.docId ?? null,
      instance: found?.instance ?? null,
      version: found?.version ?? null,
      locale: i18n.currentLocale,
      path: location.pathname,
    });
  },
};

export default routeTracker;
