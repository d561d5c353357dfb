/**
 * Walks the server-rendered DOM for island and slot markers. Each top-level island becomes a render
 * request; slot contents are turned back into vnodes and put into the owning island's props.
 */
import { type ComponentChild, type ComponentType, Fragment, h, type VNode } from "preact";
import { ISLAND_MARKER, SLOT_MARKER, SLOT_TEMPLATE_ATTR } from "../islands/markers.ts";

/** One island to render into the nodes between its markers. */
export interface RenderRequest {
  vnode: VNode;
  start: Comment;
  end: Comment;
}

// Page: outside islands. Island: an island's own output (only slots matter). Slot: server JSX.
const PAGE = 0, ISLAND = 1, SLOT = 2;

interface Walk {
  islands: Record<string, ComponentType>;
  props: Record<string, unknown>[];
  requests: RenderRequest[];
}

function findEnd(start: Comment): Comment {
  const text = "/" + start.data;
  for (let node = start.nextSibling; node; node = node.nextSibling) {
    if (node.nodeType === 8 && (node as Comment).data === text) return node as Comment;
  }
  throw new Error(`Missing end marker for <!--${start.data}-->`);
}

function elementVNode(el: Element, walk: Walk): VNode {
  const props: Record<string, unknown> = {};
  for (const attr of el.attributes) {
    // A boolean attribute is present, so true; its string value ("") would be falsy.
    props[attr.name] = typeof (el as unknown as Record<string, unknown>)[attr.name] === "boolean"
      ? true
      : attr.value;
  }
  return h(el.localName, props, ...visit(el.firstChild, null, SLOT, walk)) as VNode;
}

function visit(node: ChildNode | null, stop: Node | null, mode: number, walk: Walk) {
  const children: ComponentChild[] = [];
  while (node && node !== stop) {
    if (node.nodeType === 8) {
      const start = node as Comment;
      const text = start.data;
      if (text.startsWith(ISLAND_MARKER)) {
        const [id, n, key] = text.slice(ISLAND_MARKER.length).split(":");
        const end = findEnd(start);
        const props = walk.props[+n];
        visit(start.nextSibling, end, ISLAND, walk);
        const component = walk.islands[id];
        if (!component) throw new Error(`Island "${id}" was not loaded`);
        const vnode = h(component, props);
        // Slots found later (in templates) must land in the props the vnode actually holds.
        walk.props[+n] = vnode.props as unknown as Record<string, unknown>;
        if (key !== undefined) vnode.key = decodeURIComponent(key);
        if (mode === SLOT) children.push(vnode);
        else walk.requests.push({ vnode, start, end });
        node = end.nextSibling;
        continue;
      }
      if (text.startsWith(SLOT_MARKER)) {
        const [n, name] = text.slice(SLOT_MARKER.length).split(":");
        const end = findEnd(start);
        walk.props[+n][decodeURIComponent(name)] = h(
          Fragment,
          null,
          visit(start.nextSibling, end, SLOT, walk),
        );
        node = end.nextSibling;
        continue;
      }
    } else if (mode === SLOT) {
      if (node.nodeType === 3) children.push((node as Text).data);
      else if (node.nodeType === 1) children.push(elementVNode(node as Element, walk));
    } else if (node.nodeType === 1 && node.nodeName !== "SCRIPT") {
      visit(node.firstChild, null, mode, walk);
    }
    node = node.nextSibling;
  }
  return children;
}

/** Finds every island under `body`, fills slot props, and returns what to render where. */
export function revive(
  body: HTMLElement,
  islands: Record<string, ComponentType>,
  props: Record<string, unknown>[],
): RenderRequest[] {
  const walk: Walk = { islands, props, requests: [] };
  visit(body.firstChild, null, PAGE, walk);
  for (const template of body.querySelectorAll(`template[${SLOT_TEMPLATE_ATTR}]`)) {
    visit((template as HTMLTemplateElement).content.firstChild, null, ISLAND, walk);
    template.remove();
  }
  return walk.requests;
}
