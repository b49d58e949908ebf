/**
 * The assistant's launcher: a button on every page and "Ask about this" on a selection in the article.
 * Everything else (ChatKit or the fallback panel) loads only when the reader first opens it.
 */
import React, {lazy, type ReactNode, Suspense, useSyncExternalStore} from 'react';
import {translate} from '@docusaurus/Translate';
import {getLauncherState, openAssistant, subscribeLauncher} from '../../client/launcher';
import SelectionButton from './SelectionButton';
import styles from './styles.module.css';

const ChatWindow = lazy(() => import('./ChatWindow'));

export default function BookctlAssistant(): ReactNode {
  const state = useSyncExternalStore(subscribeLauncher, getLauncherState, getLauncherState);
  const [loaded, setLoaded] = React.useState(false);
  React.useEffect(() => {
    if (state.open) setLoaded(true);
  }, [state.open]);
  const label = translate({id: 'bookctl.launcher.label', message: 'Ask the book'});
  return (
    <>
      <SelectionButton />
      {!state.open && (
        <button type="button" className={styles.launcher} onClick={() => openAssistant()} aria-label={label} data-bookctl="launcher">
          <span aria-hidden="true">✦</span> {label}
        </button>
      )}
      {loaded && (
        <Suspense fallback={<div className={styles.window} aria-busy="true" />}>
          <ChatWindow open={state.open} selection={state.selection} />
        </Suspense>
      )}
    </>
  );
}
