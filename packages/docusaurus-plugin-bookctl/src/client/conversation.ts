/**
 * The fallback panel's view of one thread, built only from protocol events and items (a reducer):
 * streamed text, citations (URL annotations), the quoted passage, the reader's feedback.
 */
import type {Annotation, AssistantContent, ThreadItem, ThreadStreamEvent, URLSource} from './protocol';

export type Citation = {title: string; url: string};
export type ChatMessage = {
  id: string;
  role: 'user' | 'assistant';
  text: string;
  quote: string | null;
  citations: Citation[];
  streaming: boolean;
  feedback: 'positive' | 'negative' | null;
};
export type Conversation = {threadId: string | null; title: string | null; messages: ChatMessage[]; error: string | null; notice: string | null};

export const emptyConversation: Conversation = {threadId: null, title: null, messages: [], error: null, notice: null};

function citationsOf(contents: AssistantContent[]): Citation[] {
  const seen = new Set<string>();
  const out: Citation[] = [];
  for (const content of contents) {
    for (const annotation of content.annotations ?? []) addCitation(out, seen, annotation);
  }
  return out;
}

function addCitation(out: Citation[], seen: Set<string>, annotation: Annotation): void {
  const source = annotation.source as URLSource;
  if (source.type !== 'url' || seen.has(source.url)) return;
  seen.add(source.url);
  out.push({title: source.title, url: source.url});
}

/** A stored or finished item as a message; other item types (widgets, end of turn) are not shown. */
export function messageOf(item: ThreadItem, streaming = false): ChatMessage | null {
  if (item.type === 'user_message' && 'content' in item) {
    const text = item.content.map((part) => ('text' in part ? part.text : '')).join('');
    return {id: item.id, role: 'user', text, quote: item.quoted_text ?? null, citations: [], streaming: false, feedback: null};
  }
  if (item.type === 'assistant_message' && 'content' in item) {
    const content = item.content as AssistantContent[];
    return {id: item.id, role: 'assistant', text: content.map((c) => c.text).join(''), quote: null, citations: citationsOf(content), streaming, feedback: null};
  }
  return null;
}

function upsert(messages: ChatMessage[], message: ChatMessage): ChatMessage[] {
  const index = messages.findIndex((m) => m.id === message.id);
  if (index < 0) return [...messages.filter((m) => !(m.id.startsWith('local-') && m.role === message.role && message.role === 'user')), message];
  const next = messages.slice();
  next[index] = {...message, feedback: messages[index]!.feedback};
  return next;
}

export type Action =
  | {type: 'event'; event: ThreadStreamEvent}
  | {type: 'local-user'; text: string; quote: string | null}
  | {type: 'load'; threadId: string; title: string | null; items: ThreadItem[]}
  | {type: 'new'}
  | {type: 'failed'; error: string}
  | {type: 'stream-ended'}
  | {type: 'feedback'; itemId: string; kind: 'positive' | 'negative'};

export function reduce(state: Conversation, action: Action): Conversation {
  switch (action.type) {
    case 'new':
      return emptyConversation;
    case 'load':
      return {
        ...emptyConversation,
        threadId: action.threadId,
        title: action.title,
        messages: action.items.map((item) => messageOf(item)).filter((m): m is ChatMessage => m !== null),
      };
    case 'local-user':
      return {
        ...state,
        error: null,
        notice: null,
        messages: [...state.messages, {id: `local-${state.messages.length}`, role: 'user', text: action.text, quote: action.quote, citations: [], streaming: false, feedback: null}],
      };
    case 'failed':
      return {...state, error: action.error, messages: state.messages.map((m) => ({...m, streaming: false}))};
    case 'stream-ended':
      return {...state, messages: state.messages.map((m) => ({...m, streaming: false}))};
    case 'feedback':
      return {...state, messages: state.messages.map((m) => (m.id === action.itemId ? {...m, feedback: action.kind} : m))};
    case 'event':
      return applyEvent(state, action.event);
  }
}

function applyEvent(state: Conversation, event: ThreadStreamEvent): Conversation {
  switch (event.type) {
    case 'thread.created':
    case 'thread.updated':
      return {...state, threadId: event.thread.id, title: event.thread.title ?? state.title};
    case 'thread.item.added':
    case 'thread.item.done':
    case 'thread.item.replaced': {
      const message = messageOf(event.item, event.type === 'thread.item.added');
      return message ? {...state, messages: upsert(state.messages, message)} : state;
    }
    case 'thread.item.removed':
      return {...state, messages: state.messages.filter((m) => m.id !== event.item_id)};
    case 'thread.item.updated': {
      const update = event.update;
      return {
        ...state,
        messages: state.messages.map((m) => {
          if (m.id !== event.item_id) return m;
          if (update.type === 'assistant_message.content_part.text_delta') return {...m, text: m.text + update.delta};
          if (update.type === 'assistant_message.content_part.annotation_added') {
            const citations = m.citations.slice();
            addCitation(citations, new Set(citations.map((c) => c.url)), update.annotation);
            return {...m, citations};
          }
          return m;
        }),
      };
    }
    case 'error':
      return {...state, error: event.message || 'The assistant could not answer.', messages: state.messages.map((m) => ({...m, streaming: false}))};
    case 'notice':
      return {...state, notice: event.message};
    default:
      return state;
  }
}
