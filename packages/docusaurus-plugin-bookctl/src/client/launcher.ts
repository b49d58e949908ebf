/** Whether the assistant is open, and the passage the reader asked about; shared by the launcher and the chat. */
export type SelectionRequest = {
  /** The selected text, as the reader selected it. */
  text: string;
  /** The id of the heading above the selection (the section it came from), if any. */
  headingId: string | null;
  headingText: string | null;
  /** Distinguishes two requests with the same text. */
  seq: number;
};

export type LauncherState = {open: boolean; selection: SelectionRequest | null};

type Listener = () => void;
let state: LauncherState = {open: false, selection: null};
let seq = 0;
const listeners = new Set<Listener>();

function set(next: LauncherState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

export function getLauncherState(): LauncherState {
  return state;
}

export function subscribeLauncher(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function openAssistant(selection?: Omit<SelectionRequest, 'seq'>): void {
  seq += 1;
  set({open: true, selection: selection ? {...selection, seq} : state.selection});
}

export function closeAssistant(): void {
  set({...state, open: false});
}

/** The chat took the selection: do not send it twice. */
export function takeSelection(seqTaken: number): void {
  if (state.selection?.seq === seqTaken) set({...state, selection: null});
}
