/**
 * `<Head>`: elements a page wants in the document's `<head>` (title, meta). On the server the
 * page renderer collects them while rendering and inserts them before `</head>`; in the browser
 * (inside islands) it renders nothing.
 */
import type { ComponentChildren } from "preact";

type Collector = (children: ComponentChildren) => void;
let collector: Collector | null = null;

/** Used by the server renderer: collects `<Head>` children during one synchronous render. */
export function collectHead<T>(collect: Collector, render: () => T): T {
  const previous = collector;
  collector = collect;
  try {
    return render();
  } finally {
    collector = previous;
  }
}

/** Puts its children into the document's `<head>` (server-rendered pages only). */
export function Head(props: { children?: ComponentChildren }): null {
  collector?.(props.children);
  return null;
}
