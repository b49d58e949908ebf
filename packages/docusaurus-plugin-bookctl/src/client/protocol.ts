/**
 * The ChatKit protocol as `bookctl serve` speaks it (the `openai-chatkit` package: chatkit/types.py).
 * Only what the fallback panel sends and reads is typed here; field names are the protocol's own.
 * One POST endpoint: a JSON request with a `type`; streaming requests answer with server-sent events
 * (`data: <ThreadStreamEvent JSON>`), the others with JSON.
 */
import {type EventSourceMessage, EventSourceParserStream} from 'eventsource-parser/stream';

export type URLSource = {type: 'url'; title: string; url: string; description?: string | null; group?: string | null};
export type Annotation = {type: 'annotation'; source: URLSource | {type: string; title: string}; index?: number | null};
export type AssistantContent = {type: 'output_text'; text: string; annotations: Annotation[]};
export type UserContent = {type: 'input_text'; text: string};

export type UserMessageItem = {
  type: 'user_message';
  id: string;
  thread_id: string;
  created_at: string;
  content: UserContent[];
  quoted_text?: string | null;
};
export type AssistantMessageItem = {
  type: 'assistant_message';
  id: string;
  thread_id: string;
  created_at: string;
  content: AssistantContent[];
};
export type ThreadItem = UserMessageItem | AssistantMessageItem | {type: string; id: string; thread_id: string};

export type ThreadMetadata = {id: string; title?: string | null; created_at: string};
export type Thread = ThreadMetadata & {items: Page<ThreadItem>};
export type Page<T> = {data: T[]; has_more: boolean; after?: string | null};

export type ThreadItemUpdate =
  | {type: 'assistant_message.content_part.added'; content_index: number; content: AssistantContent}
  | {type: 'assistant_message.content_part.text_delta'; content_index: number; delta: string}
  | {type: 'assistant_message.content_part.annotation_added'; content_index: number; annotation_index: number; annotation: Annotation}
  | {type: 'assistant_message.content_part.done'; content_index: number; content: AssistantContent};

export type ThreadStreamEvent =
  | {type: 'thread.created'; thread: Thread}
  | {type: 'thread.updated'; thread: Thread}
  | {type: 'thread.item.added'; item: ThreadItem}
  | {type: 'thread.item.updated'; item_id: string; update: ThreadItemUpdate}
  | {type: 'thread.item.done'; item: ThreadItem}
  | {type: 'thread.item.removed'; item_id: string}
  | {type: 'thread.item.replaced'; item: ThreadItem}
  | {type: 'error'; code?: string; message?: string | null; allow_retry?: boolean}
  | {type: 'notice'; level: string; message: string; title?: string | null}
  | {type: 'progress_update'; text: string}
  | {type: 'stream_options' | 'client_effect'};

export type UserMessageInput = {
  content: UserContent[];
  attachments: string[];
  quoted_text?: string | null;
  inference_options: Record<string, never>;
};
export type CustomAction = {type: string; payload?: Record<string, unknown>};

export type StreamingRequest =
  | {type: 'threads.create'; params: {input: UserMessageInput}}
  | {type: 'threads.add_user_message'; params: {thread_id: string; input: UserMessageInput}}
  | {type: 'threads.custom_action'; params: {thread_id: string; item_id?: string | null; action: CustomAction}}
  | {type: 'threads.retry_after_item'; params: {thread_id: string; item_id: string}};

export type JsonRequest =
  | {type: 'threads.list'; params: {limit?: number; order?: 'asc' | 'desc'; after?: string | null}}
  | {type: 'threads.get_by_id'; params: {thread_id: string}}
  | {type: 'items.list'; params: {thread_id: string; limit?: number; order?: 'asc' | 'desc'; after?: string | null}}
  | {type: 'items.feedback'; params: {thread_id: string; item_ids: string[]; kind: 'positive' | 'negative'}}
  | {type: 'threads.update'; params: {thread_id: string; title: string}}
  | {type: 'threads.delete'; params: {thread_id: string}};

export function userInput(text: string, quotedText?: string): UserMessageInput {
  return {content: [{type: 'input_text', text}], attachments: [], quoted_text: quotedText ?? null, inference_options: {}};
}

export class ProtocolError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
  }
}

type Fetch = typeof fetch;

/** A client for one `/chatkit` endpoint; `fetch` is the widget's custom fetch (token + page context). */
export class ChatKitClient {
  constructor(private readonly url: string, private readonly fetchFn: Fetch) {}

  private async post(body: StreamingRequest | JsonRequest, signal?: AbortSignal): Promise<Response> {
    const response = await this.fetchFn(this.url, {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({metadata: {}, ...body}),
      signal,
    });
    if (!response.ok) {
      let detail = `${response.status} ${response.statusText}`;
      try {
        const text = await response.text();
        if (text) detail = text.slice(0, 300);
      } catch {
        // keep the status line
      }
      throw new ProtocolError(detail, response.status);
    }
    return response;
  }

  async request<T>(body: JsonRequest): Promise<T> {
    const response = await this.post(body);
    return (await response.json()) as T;
  }

  /** Run a streaming request, calling `onEvent` for each event until the server closes the stream. */
  async stream(body: StreamingRequest, onEvent: (event: ThreadStreamEvent) => void, signal?: AbortSignal): Promise<void> {
    const response = await this.post(body, signal);
    if (!response.body) throw new ProtocolError('the server sent no stream');
    const events: ReadableStream<EventSourceMessage> = response.body
      .pipeThrough(new TextDecoderStream())
      .pipeThrough(new EventSourceParserStream());
    const reader = events.getReader();
    for (;;) {
      const {done, value} = await reader.read();
      if (done) return;
      if (!value.data) continue;
      onEvent(JSON.parse(value.data) as ThreadStreamEvent);
    }
  }
}
