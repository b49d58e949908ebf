/** "Ask about this": shown beside a text selection inside the article; opens the chat with the passage. */
import React, {type ReactNode, useEffect, useState} from 'react';
import {translate} from '@docusaurus/Translate';
import {openAssistant} from '../../client/launcher';
import styles from './styles.module.css';

const ARTICLE = 'article .markdown, article .theme-doc-markdown';
const MAX_SELECTION = 4000;

type Anchor = {top: number; left: number; text: string; headingId: string | null; headingText: string | null};

/** The last h2-h4 with an id above `node` in `article`: the section the passage belongs to. */
function headingAbove(article: Element, node: Node): HTMLElement | null {
  let found: HTMLElement | null = null;
  for (const heading of Array.from(article.querySelectorAll<HTMLElement>('h1[id], h2[id], h3[id], h4[id]'))) {
    if (heading.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING || heading.contains(node)) found = heading;
    else break;
  }
  return found;
}

function headingLabel(heading: HTMLElement | null): string | null {
  if (!heading) return null;
  // Docusaurus appends a "#" hash link to each heading; leave it out.
  const clone = heading.cloneNode(true) as HTMLElement;
  clone.querySelectorAll('.hash-link').forEach((link) => link.remove());
  return clone.textContent?.trim() || null;
}

function currentAnchor(): Anchor | null {
  const selection = window.getSelection();
  if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
  const text = selection.toString().trim();
  if (!text) return null;
  const range = selection.getRangeAt(0);
  const start = range.startContainer.nodeType === Node.ELEMENT_NODE ? range.startContainer : range.startContainer.parentElement;
  const article = start instanceof Element ? start.closest(ARTICLE) : null;
  if (!article || !article.contains(range.endContainer)) return null;
  const rect = range.getBoundingClientRect();
  const heading = headingAbove(article, range.startContainer);
  return {
    top: rect.bottom + window.scrollY + 6,
    left: Math.max(8, rect.left + window.scrollX),
    text: text.slice(0, MAX_SELECTION),
    headingId: heading?.id ?? null,
    headingText: headingLabel(heading),
  };
}

export default function SelectionButton(): ReactNode {
  const [anchor, setAnchor] = useState<Anchor | null>(null);
  useEffect(() => {
    let timer: number | undefined;
    const update = () => {
      window.clearTimeout(timer);
      // Wait for the selection to settle (a drag fires many events).
      timer = window.setTimeout(() => setAnchor(currentAnchor()), 120);
    };
    document.addEventListener('selectionchange', update);
    return () => {
      window.clearTimeout(timer);
      document.removeEventListener('selectionchange', update);
    };
  }, []);
  if (!anchor) return null;
  return (
    <button
      type="button"
      className={styles.selectionButton}
      style={{top: anchor.top, left: anchor.left}}
      data-bookctl="ask-selection"
      // Keep the selection: a mousedown on a button would clear it before the click.
      onMouseDown={(event) => event.preventDefault()}
      onClick={() => {
        openAssistant({text: anchor.text, headingId: anchor.headingId, headingText: anchor.headingText});
        setAnchor(null);
      }}>
      {translate({id: 'bookctl.selection.ask', message: 'Ask about this'})}
    </button>
  );
}
