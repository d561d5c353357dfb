/**
 * Mounts an island into the nodes between its start and end markers. Preact's `render()` gets a
 * stand-in parent node covering only that range, so several islands can share one real parent.
 *
 * `render()` over existing DOM adopts a server node only when the browser's first render has an
 * element of the same tag (or text) for it, and it never removes the server nodes it leaves
 * unadopted at the top level of a root. With a stand-in parent it also places new nodes before
 * whatever it takes as the next sibling, and it steps over comments to find that sibling, which
 * can take it past the end marker. {@link mount} and the stand-in's `insertBefore` handle both.
 */
import { render, type VNode } from "preact";

const STALE = "data-frsh-stale";

/** Builds the stand-in parent for the nodes strictly between `start` and `end` (siblings). */
export function createRootFragment(start: Node, end: Node): Element {
  const parent = end.parentNode!;
  const insertBefore = (node: Node, before: Node | null) =>
    // A `before` past the end marker (or none) means the end of the range.
    parent.insertBefore(
      node,
      !before || end.compareDocumentPosition(before) & 4 /* FOLLOWING */ ? end : before,
    );
  const fragment = {
    namespaceURI: (parent as Element).namespaceURI,
    parentNode: parent,
    get firstChild() {
      const node = start.nextSibling;
      return node === end ? null : node;
    },
    get childNodes() {
      const nodes: Node[] = [];
      each(start, end, (node) => nodes.push(node));
      return nodes;
    },
    insertBefore,
    appendChild: (node: Node) => insertBefore(node, null),
    // Preact removes nodes through `node.parentNode`, the real parent; kept for completeness.
    removeChild: (node: Node) => parent.removeChild(node),
  };
  return fragment as unknown as Element;
}

/** Calls `fn` for each node strictly between `start` and `end`; `fn` may remove the node. */
function each(start: Node, end: Node, fn: (node: ChildNode) => void) {
  for (let node = start.nextSibling, next; node && node !== end; node = next) {
    next = node.nextSibling;
    fn(node);
  }
}

/**
 * Renders `vnode` into the range between the markers, reusing the server's elements where the first
 * render matches them and removing every server node it does not take over.
 */
export function mount(vnode: VNode, start: Node, end: Node): void {
  // Marks the server elements; an element render() adopts gets its attributes rewritten to the
  // vnode's, which drops the mark. Comments are never adopted and text holds no state worth
  // keeping, so they go now. (A <textarea> is left alone: with `defaultValue` its attributes are
  // not rewritten.)
  each(start, end, (node) => {
    if (node.nodeType !== 1) node.remove();
    else if (node.nodeName !== "TEXTAREA") (node as Element).setAttribute(STALE, "");
  });
  try {
    render(vnode, createRootFragment(start, end));
  } finally {
    each(start, end, (node) => (node as Element).hasAttribute?.(STALE) && node.remove());
  }
}
