/**
 * The reader's account in the navbar (`{type: 'custom-bookctlAccount', position: 'right'}` in the
 * site's navbar items): "Sign in" or the reader's name and "Sign out". Renders nothing unless the
 * plugin's `auth.serviceUrl` is set. Better Auth's client loads after the page, in its own chunk.
 */
import React, {lazy, type ReactNode, Suspense} from 'react';
import BrowserOnly from '@docusaurus/BrowserOnly';
import {usePluginData} from '@docusaurus/useGlobalData';
import type {Options} from '../../options';
import styles from './styles.module.css';

const Account = lazy(() => import('./Account'));

export default function BookctlAccount({mobile}: {mobile?: boolean}): ReactNode {
  const options = usePluginData('docusaurus-plugin-bookctl') as Options;
  const serviceUrl = options.auth.serviceUrl;
  if (!serviceUrl) return null;
  const placeholder = <span className={`navbar__item ${styles.account}`} data-bookctl="account" data-state="loading" />;
  return (
    <BrowserOnly fallback={placeholder}>
      {() => (
        <Suspense fallback={placeholder}>
          <Account serviceUrl={serviceUrl} mobile={mobile ?? false} />
        </Suspense>
      )}
    </BrowserOnly>
  );
}
