/**
 * The chat window (loaded on first open): ChatKit when a domain key is set and its web component loads
 * from the CDN in time, else the fallback panel. Both talk to the same `/chatkit` endpoint through the
 * same custom fetch.
 */
import React, {lazy, type ReactNode, Suspense, useEffect, useMemo, useState, useSyncExternalStore} from 'react';
import {translate} from '@docusaurus/Translate';
import useDocusaurusContext from '@docusaurus/useDocusaurusContext';
import {usePluginData} from '@docusaurus/useGlobalData';
import type {Options} from '../../options';
import {getAuthVersion, subscribeAuth} from '../../client/auth';
import {createBookctlFetch} from '../../client/bookctlFetch';
import {chatkitUrl} from '../../client/chat';
import {closeAssistant, type SelectionRequest} from '../../client/launcher';
import {getPageContext} from '../../client/pageContext';
import type {ChatProps} from './types';
import styles from './styles.module.css';

const ChatKitChat = lazy(() => import('./ChatKitChat'));
const FallbackChat = lazy(() => import('./FallbackChat'));

const PLUGIN = 'docusaurus-plugin-bookctl';

/** Load the ChatKit web component once; reject if it is not defined within `timeoutMs`. */
let chatkitScript: Promise<void> | null = null;
function loadChatKit(src: string, timeoutMs: number): Promise<void> {
  if (customElements.get('openai-chatkit')) return Promise.resolve();
  chatkitScript ??= new Promise<void>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Error('timed out')), timeoutMs);
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onerror = () => {
      window.clearTimeout(timer);
      reject(new Error('could not be loaded'));
    };
    document.head.appendChild(script);
    void customElements.whenDefined('openai-chatkit').then(() => {
      window.clearTimeout(timer);
      resolve();
    });
  });
  const loading = chatkitScript;
  loading.catch(() => {
    chatkitScript = null; // try again next time the page loads the chat
  });
  return loading;
}

type Mode = {kind: 'loading'} | {kind: 'chatkit'} | {kind: 'fallback'; reason: string | null};

export default function ChatWindow({open, selection}: {open: boolean; selection: SelectionRequest | null}): ReactNode {
  const options = usePluginData(PLUGIN) as Options;
  const {siteConfig, i18n} = useDocusaurusContext();
  const language = i18n.localeConfigs[i18n.currentLocale]?.htmlLang ?? i18n.currentLocale;
  const [mode, setMode] = useState<Mode>(options.domainKey ? {kind: 'loading'} : {kind: 'fallback', reason: null});

  useEffect(() => {
    if (!options.domainKey) return;
    loadChatKit(options.chatkitScriptUrl, options.chatkitLoadTimeoutMs).then(
      () => setMode({kind: 'chatkit'}),
      (error: Error) => setMode({kind: 'fallback', reason: error.message}),
    );
  }, [options.domainKey, options.chatkitScriptUrl, options.chatkitLoadTimeoutMs]);

  // A reader signing in or out gets a fresh chat: their own thread list, nobody else's conversation.
  const reader = useSyncExternalStore(subscribeAuth, getAuthVersion, getAuthVersion);
  const bookctlFetch = useMemo(() => createBookctlFetch({auth: options.auth, getPage: getPageContext, language}), [options.auth, language]);
  const props: ChatProps = useMemo(
    () => ({
      url: chatkitUrl(options.serverUrl),
      domainKey: options.domainKey,
      fetch: bookctlFetch,
      language,
      siteUrl: siteConfig.url,
      baseUrl: siteConfig.baseUrl,
      selection,
      auth: options.auth,
    }),
    [options, bookctlFetch, language, siteConfig.url, siteConfig.baseUrl, selection],
  );

  const title = translate({id: 'bookctl.window.title', message: 'Ask the book'});
  return (
    <section className={`${styles.window} ${open ? '' : styles.hidden}`} aria-label={title} data-bookctl="window" data-mode={mode.kind}>
      <header className={styles.header}>
        <span>{title}</span>
        <button type="button" className={styles.iconButton} onClick={closeAssistant} aria-label={translate({id: 'bookctl.window.close', message: 'Close'})} data-bookctl="close">
          ✕
        </button>
      </header>
      {mode.kind === 'fallback' && mode.reason && (
        <div className={styles.notice} role="status">
          {translate(
            {id: 'bookctl.window.fallbackNotice', message: 'ChatKit {reason}: using the built-in panel.'},
            {reason: mode.reason},
          )}
        </div>
      )}
      <div className={styles.body}>
        <Suspense fallback={null}>
          {mode.kind === 'chatkit' && <ChatKitChat key={reader} {...props} />}
          {mode.kind === 'fallback' && <FallbackChat key={reader} {...props} />}
        </Suspense>
      </div>
    </section>
  );
}
