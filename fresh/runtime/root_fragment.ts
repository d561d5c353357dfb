/**
 * A stand-in parent node for `render()` that covers only the nodes between an island's start and
 * end markers, so several islands can share one real parent element.
 */

/** Builds the stand-in parent for the nodes strictly between `start` and `end` (siblings). */
export function createRootFragment(start: Node, end: Node): Element {
  const parent = end.parentNode!;
  const fragment = {
    namespaceURI: (parent as Element).namespaceURI,
    parentNode: parent,
    get firstChild() {
      const node = start.nextSibling;
      return node === end ? null : node;
    },
    get childNodes() {
      const nodes: Node[] = [];
      for (let node = start.nextSibling; node && node !== end; node = node.nextSibling) {
        nodes.push(node);
      }
      return nodes;
    },
    insertBefore(node: Node, before: Node | null) {
      return parent.insertBefore(node, before ?? end);
    },
    appendChild(node: Node) {
      return parent.insertBefore(node, end);
    },
    removeChild(node: Node) {
      return parent.removeChild(node);
    },
  };
  return fragment as unknown as Element;
}
