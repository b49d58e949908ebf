/**
 * The fallback panel: the same protocol, the same server, without ChatKit's web component.
 * UI: @chatscope/chat-ui-kit-react (message list with auto-scroll, typing indicator, composer,
 * conversation list), styled by its own stylesheet; answers are Markdown (quoted from the book),
 * rendered by react-markdown, which never renders raw HTML; the protocol client and the reducer are ours.
 */
import React, {type ReactNode, useCallback, useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {ChatContainer, Conversation as ThreadRow, ConversationList, MainContainer, Message, MessageInput, MessageList, TypingIndicator} from '@chatscope/chat-ui-kit-react';
import '@chatscope/chat-ui-kit-styles/dist/default/styles.min.css';
import Link from '@docusaurus/Link';
import Markdown, {type Components} from 'react-markdown';
import {translate} from '@docusaurus/Translate';
import {selectionAction, sitePath} from '../../client/chat';
import {type Citation, type ChatMessage, emptyConversation, reduce} from '../../client/conversation';
import {takeSelection} from '../../client/launcher';
import {getPageContext} from '../../client/pageContext';
import {ChatKitClient, type Page, type StreamingRequest, type ThreadItem, type ThreadMetadata, userInput} from '../../client/protocol';
import type {ChatProps} from './types';
import styles from './styles.module.css';

function CitationLink({citation, siteUrl, baseUrl}: {citation: Citation; siteUrl: string; baseUrl: string}): ReactNode {
  const path = sitePath(citation.url, siteUrl, baseUrl);
  return path ? (
    <Link to={path} data-bookctl="citation">
      {citation.title}
    </Link>
  ) : (
    <a href={citation.url} target="_blank" rel="noopener noreferrer" data-bookctl="citation">
      {citation.title}
    </a>
  );
}

/**
 * The answer's Markdown. A link into the site opens in the site; a link to another site in a new tab;
 * bookctl resolves links to docs' files at ingest (`/docs/nav2`), so one still relative to a file
 * (`../gone.md`, which Docusaurus could not resolve either) means nothing on this page: its text.
 */
function answerComponents(siteUrl: string, baseUrl: string): Components {
  return {
    a: ({href, children}) => {
      if (!href || !/^([a-z][a-z0-9+.-]*:|\/|#)/i.test(href)) return <>{children}</>;
      const path = sitePath(href, siteUrl, baseUrl);
      return path ? (
        <Link to={path}>{children}</Link>
      ) : (
        <a href={href} target="_blank" rel="noopener noreferrer">
          {children}
        </a>
      );
    },
  };
}

function AssistantBody({message, siteUrl, baseUrl, onFeedback}: {message: ChatMessage; siteUrl: string; baseUrl: string; onFeedback: (kind: 'positive' | 'negative') => void}): ReactNode {
  return (
    <div data-bookctl="answer" data-streaming={message.streaming ? 'true' : 'false'}>
      <div className={styles.markdown}>
        <Markdown components={answerComponents(siteUrl, baseUrl)}>{message.text}</Markdown>
      </div>
      {message.citations.length > 0 && (
        <ol className={styles.sources} aria-label={translate({id: 'bookctl.chat.sources', message: 'Sources'})}>
          {message.citations.map((citation) => (
            <li key={citation.url}>
              <CitationLink citation={citation} siteUrl={siteUrl} baseUrl={baseUrl} />
            </li>
          ))}
        </ol>
      )}
      {!message.streaming && !message.id.startsWith('local-') && (
        <div className={styles.feedback}>
          <button type="button" aria-pressed={message.feedback === 'positive'} onClick={() => onFeedback('positive')} data-bookctl="feedback-positive">
            {translate({id: 'bookctl.chat.helpful', message: 'Helpful'})}
          </button>
          <button type="button" aria-pressed={message.feedback === 'negative'} onClick={() => onFeedback('negative')} data-bookctl="feedback-negative">
            {translate({id: 'bookctl.chat.notHelpful', message: 'Not helpful'})}
          </button>
        </div>
      )}
    </div>
  );
}

export default function FallbackChat({url, fetch, siteUrl, baseUrl, selection}: ChatProps): ReactNode {
  const client = useMemo(() => new ChatKitClient(url, fetch), [url, fetch]);
  const [conversation, dispatch] = useReducer(reduce, emptyConversation);
  const [threads, setThreads] = useState<ThreadMetadata[] | null>(null);
  const [showThreads, setShowThreads] = useState(false);
  const [busy, setBusy] = useState(false);
  const threadId = useRef<string | null>(null);
  threadId.current = conversation.threadId;

  const run = useCallback(
    async (request: StreamingRequest) => {
      setBusy(true);
      try {
        await client.stream(request, (event) => dispatch({type: 'event', event}));
        dispatch({type: 'stream-ended'});
      } catch (error) {
        dispatch({type: 'failed', error: translate({id: 'bookctl.chat.unreachable', message: 'The assistant is not reachable ({detail}).'}, {detail: (error as Error).message})});
      } finally {
        setBusy(false);
      }
    },
    [client],
  );

  const ask = useCallback(
    (text: string) => {
      const question = text.trim();
      if (!question || busy) return;
      dispatch({type: 'local-user', text: question, quote: null});
      const input = userInput(question);
      void run(threadId.current ? {type: 'threads.add_user_message', params: {thread_id: threadId.current, input}} : {type: 'threads.create', params: {input}});
    },
    [busy, run],
  );

  // "Ask about this": a custom action in the current thread; the first message quoting the passage
  // when there is no thread yet (an action needs one).
  useEffect(() => {
    if (!selection) return;
    takeSelection(selection.seq);
    const question = translate({id: 'bookctl.selection.question', message: 'What does this passage say?'});
    dispatch({type: 'local-user', text: question, quote: selection.text});
    void run(
      threadId.current
        ? {type: 'threads.custom_action', params: {thread_id: threadId.current, item_id: null, action: selectionAction(selection, getPageContext(), question)}}
        : {type: 'threads.create', params: {input: userInput(question, selection.text)}},
    );
  }, [selection, run]);

  const loadThreads = useCallback(async () => {
    try {
      const page = await client.request<Page<ThreadMetadata>>({type: 'threads.list', params: {limit: 20, order: 'desc'}});
      setThreads(page.data);
    } catch (error) {
      dispatch({type: 'failed', error: (error as Error).message});
    }
  }, [client]);

  const openThread = useCallback(
    async (thread: ThreadMetadata) => {
      setShowThreads(false);
      try {
        const items = await client.request<Page<ThreadItem>>({type: 'items.list', params: {thread_id: thread.id, order: 'asc', limit: 100}});
        dispatch({type: 'load', threadId: thread.id, title: thread.title ?? null, items: items.data});
      } catch (error) {
        dispatch({type: 'failed', error: (error as Error).message});
      }
    },
    [client],
  );

  const feedback = useCallback(
    async (itemId: string, kind: 'positive' | 'negative') => {
      if (!threadId.current) return;
      try {
        await client.request({type: 'items.feedback', params: {thread_id: threadId.current, item_ids: [itemId], kind}});
        dispatch({type: 'feedback', itemId, kind});
      } catch (error) {
        dispatch({type: 'failed', error: (error as Error).message});
      }
    },
    [client],
  );

  const last = conversation.messages[conversation.messages.length - 1];
  const waiting = busy && (!last || last.role === 'user' || (last.streaming && !last.text));
  return (
    <div data-bookctl="fallback" style={{height: '100%', display: 'flex', flexDirection: 'column'}}>
      <div className={styles.header}>
        <span>{conversation.title ?? translate({id: 'bookctl.chat.newConversation', message: 'New conversation'})}</span>
        <span className={styles.headerButtons}>
          <button
            type="button"
            className={styles.iconButton}
            data-bookctl="threads"
            aria-expanded={showThreads}
            onClick={() => {
              setShowThreads(!showThreads);
              if (!showThreads) void loadThreads();
            }}>
            {translate({id: 'bookctl.chat.history', message: 'Conversations'})}
          </button>
          <button type="button" className={styles.iconButton} data-bookctl="new-thread" disabled={busy} onClick={() => dispatch({type: 'new'})}>
            {translate({id: 'bookctl.chat.new', message: 'New'})}
          </button>
        </span>
      </div>
      {showThreads && (
        <div className={styles.threads}>
          <ConversationList loading={threads === null}>
            {(threads ?? []).map((thread) => (
              <ThreadRow
                key={thread.id}
                name={thread.title || translate({id: 'bookctl.chat.untitled', message: 'Untitled conversation'})}
                info={new Date(thread.created_at).toLocaleString()}
                active={thread.id === conversation.threadId}
                onClick={() => void openThread(thread)}
                data-bookctl="thread"
              />
            ))}
          </ConversationList>
        </div>
      )}
      {conversation.error && (
        <div className={styles.error} role="alert" data-bookctl="error">
          {conversation.error}
        </div>
      )}
      {conversation.notice && (
        <div className={styles.notice} role="status">
          {conversation.notice}
        </div>
      )}
      <div style={{flex: 1, minHeight: 0}}>
        <MainContainer>
          <ChatContainer>
            <MessageList typingIndicator={waiting ? <TypingIndicator content={translate({id: 'bookctl.chat.thinking', message: 'Reading the book…'})} /> : undefined}>
              {conversation.messages.length === 0 && (
                <MessageList.Content style={{padding: '1rem', textAlign: 'center', opacity: 0.8}}>
                  {translate({id: 'bookctl.chat.greeting', message: 'Ask anything about the book. Answers cite its pages.'})}
                </MessageList.Content>
              )}
              {conversation.messages.map((message) => (
                <Message key={message.id} model={{direction: message.role === 'user' ? 'outgoing' : 'incoming', position: 'single', type: 'custom'}} data-bookctl={message.role}>
                  <Message.CustomContent>
                    {message.quote && <blockquote className={styles.quote}>{message.quote}</blockquote>}
                    {message.role === 'assistant' ? (
                      <AssistantBody message={message} siteUrl={siteUrl} baseUrl={baseUrl} onFeedback={(kind) => void feedback(message.id, kind)} />
                    ) : (
                      <span className={styles.answer}>{message.text}</span>
                    )}
                  </Message.CustomContent>
                </Message>
              ))}
            </MessageList>
            <MessageInput
              placeholder={translate({id: 'bookctl.chat.placeholder', message: 'Ask a question about the book'})}
              attachButton={false}
              sendDisabled={busy}
              onSend={(_html, textContent) => ask(textContent)}
              data-bookctl="composer"
            />
          </ChatContainer>
        </MainContainer>
      </div>
    </div>
  );
}
