/** The assistant in ChatKit's own UI (`@openai/chatkit-react`), talking to `bookctl serve`'s `/chatkit`. */
import React, {type ReactNode, useEffect, useRef} from 'react';
import {ChatKit, useChatKit} from '@openai/chatkit-react';
import type {SupportedLocale} from '@openai/chatkit';
import {useHistory} from '@docusaurus/router';
import {translate} from '@docusaurus/Translate';
import {selectionAction, sitePath} from '../../client/chat';
import {takeSelection} from '../../client/launcher';
import {getPageContext} from '../../client/pageContext';
import type {ChatProps} from './types';
import styles from './styles.module.css';

export default function ChatKitChat({url, domainKey, fetch, language, siteUrl, baseUrl, selection}: ChatProps): ReactNode {
  const history = useHistory();
  const threadId = useRef<string | null>(null);
  const openSitePage = (target: unknown) => {
    const path = typeof target === 'string' ? sitePath(target, siteUrl, baseUrl) : null;
    if (path) history.push(path);
    else if (typeof target === 'string') window.open(target, '_blank', 'noopener');
  };
  const chatkit = useChatKit({
    api: {url, domainKey, fetch},
    locale: language as SupportedLocale,
    theme: {colorScheme: document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'},
    history: {enabled: true},
    threadItemActions: {feedback: true, retry: true},
    startScreen: {
      greeting: translate({id: 'bookctl.chat.greeting', message: 'Ask anything about the book. Answers cite its pages.'}),
    },
    composer: {placeholder: translate({id: 'bookctl.chat.placeholder', message: 'Ask a question about the book'})},
    // Widgets the server sends may carry `bookctl.open_page` actions: open that page of this site.
    widgets: {
      onAction: async (action) => {
        if (action.type === 'bookctl.open_page') openSitePage(action.payload?.url);
      },
    },
    entities: {onClick: (entity) => openSitePage(entity.data?.url)},
    onThreadChange: ({threadId: id}) => {
      threadId.current = id;
    },
  });

  // "Ask about this": in a thread, the passage goes as a custom action; with no thread yet, as the
  // first message quoting it (`reply` = ChatKit's quoted text), since an action needs a thread.
  useEffect(() => {
    if (!selection) return;
    takeSelection(selection.seq);
    const question = translate({id: 'bookctl.selection.question', message: 'What does this passage say?'});
    if (threadId.current) void chatkit.sendCustomAction(selectionAction(selection, getPageContext(), question));
    else void chatkit.sendUserMessage({text: question, reply: selection.text});
  }, [selection, chatkit]);

  return <ChatKit control={chatkit.control} className={styles.chatkit} />;
}
