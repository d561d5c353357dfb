/**
 * Server rendering with islands. The public `options.vnode` hook swaps each island component for a
 * boundary component that records the island's props and wraps its HTML in comment markers. JSX
 * props (slots) are rendered inside the island's markers with their own markers.
 */
import { type ComponentChildren, Fragment, h, isValidElement, options, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { encodeMarkerPart, ISLAND_MARKER, SLOT_MARKER, SLOT_TEMPLATE_ATTR } from "./markers.ts";
import { isIslandComponent, type IslandInfo, type IslandRegistry } from "./registry.ts";
import { isSignal, PropsSerializer, scriptStringLiteral } from "./serialize.ts";
import { setBuildId } from "../runtime/build_id.ts";
import { collectHead } from "../runtime/head.ts";

/** Where the browser loads the boot code and island chunks from. */
export interface IslandAssets {
  bootUrl: string;
  chunkUrl(islandFile: string): string;
  /** The given urls plus their transitive static chunk imports. */
  preloadUrls(urls: string[]): string[];
  /** The build id, for `asset()` cache busting; optional. */
  buildId?: string;
}

/** Options of {@link renderPage}. */
export interface RenderPageOptions {
  registry: IslandRegistry;
  assets: IslandAssets | null;
  nonce: string;
}

interface PendingSlot {
  island: number;
  name: string;
  value: ComponentChildren;
  rendered: boolean;
}

// Per-render state. renderToString is synchronous, so the one active state is set and restored
// around each call; concurrent async requests never interleave inside it.
interface RenderState {
  registry: IslandRegistry;
  props: PropsSerializer;
  used: Set<IslandInfo>;
  slots: PendingSlot[];
  /** > 0 while rendering an island's own JSX, where islands are plain components. */
  depth: number;
  savedDepths: number[];
}

let current: RenderState | null = null;
// > 0 while the boundary creates the real island vnode, so the hook leaves that one alone.
let bypass = 0;

const boundaries = new WeakMap<object, (props: Record<string, unknown>) => ComponentChildren>();
const keys = new WeakMap<object, unknown>();

function comment(text: string): VNode {
  return h(Fragment, { UNSTABLE_comment: text } as Record<string, unknown>);
}

// A component returning a lone Fragment gets it unwrapped by the renderer, comment and all.
function commentOnly(text: string): ComponentChildren {
  return [comment(text)];
}

function plainVNode(type: IslandInfo["component"], props: Record<string, unknown>): VNode {
  bypass++;
  try {
    return h(type, props);
  } finally {
    bypass--;
  }
}

/** JSX (or a list containing JSX) is a slot; other values go to the props payload. */
function isSlot(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(isSlot);
  // Signals pose as vnodes (so JSX can render them as text) but are data.
  return isValidElement(value) && !isSignal(value);
}

function SlotBoundary(props: { slot: PendingSlot }): ComponentChildren {
  const state = current;
  const { slot } = props;
  if (!state) return slot.value;
  slot.rendered = true;
  state.savedDepths.push(state.depth);
  state.depth = 0; // the slot belongs to the page: islands in it get their own markers
  const text = `${SLOT_MARKER}${slot.island}:${encodeMarkerPart(slot.name)}`;
  return [comment(text), slot.value, h(SlotEnd, { text })];
}

function SlotEnd(props: { text: string }): ComponentChildren {
  if (current) current.depth = current.savedDepths.pop() ?? 0;
  return commentOnly(`/${props.text}`);
}

function IslandEnd(props: { text: string }): ComponentChildren {
  if (current) current.depth--;
  return commentOnly(`/${props.text}`);
}

function renderIsland(
  component: IslandInfo["component"],
  props: Record<string, unknown>,
): ComponentChildren {
  const state = current;
  const info = state?.registry.byComponent.get(component);
  if (!state || !info || state.depth > 0) return plainVNode(component, props);

  const index = state.props.size;
  const serializable: Record<string, unknown> = {};
  const renderProps: Record<string, unknown> = {};
  for (const name of Object.keys(props)) {
    const value = props[name];
    if (isSlot(value)) {
      const slot: PendingSlot = {
        island: index,
        name,
        value: value as ComponentChildren,
        rendered: false,
      };
      state.slots.push(slot);
      renderProps[name] = h(SlotBoundary, { slot });
    } else {
      serializable[name] = value;
      renderProps[name] = value;
    }
  }
  state.props.add(serializable, `Island "${info.id}" (${info.file})`);
  state.used.add(info);

  const key = keys.get(props);
  const text = `${ISLAND_MARKER}${info.id}:${index}` +
    (key == null ? "" : `:${encodeMarkerPart(String(key))}`);
  state.depth++;
  return [comment(text), plainVNode(component, renderProps), h(IslandEnd, { text })];
}

function boundaryFor(component: IslandInfo["component"]) {
  let boundary = boundaries.get(component);
  if (!boundary) {
    boundary = (props) => renderIsland(component, props);
    Object.defineProperty(boundary, "name", { value: `Island(${component.name || "?"})` });
    boundaries.set(component, boundary);
  }
  return boundary;
}

const previousVNodeHook = options.vnode;
options.vnode = (vnode) => {
  const type = vnode.type;
  if (
    bypass === 0 && typeof type === "function" && isIslandComponent(type) &&
    (current === null || current.depth === 0)
  ) {
    if (vnode.key != null) keys.set(vnode.props as object, vnode.key);
    (vnode as { type: unknown }).type = boundaryFor(type);
  }
  previousVNodeHook?.(vnode);
};

function renderWith(state: RenderState, vnode: ComponentChildren): string {
  const previous = current;
  current = state;
  try {
    return renderToString(h(Fragment, null, vnode));
  } finally {
    current = previous;
  }
}

/** Renders slots the islands did not render into `<template>`s, so the browser still gets them. */
function renderUnusedSlots(state: RenderState): string {
  let html = "";
  for (let i = 0; i < state.slots.length; i++) {
    const slot = state.slots[i];
    if (slot.rendered) continue;
    html += renderWith(
      state,
      h("template", { [SLOT_TEMPLATE_ATTR]: "" }, h(SlotBoundary, { slot })),
    );
  }
  return html;
}

function escapeAttr(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
}

function bootScript(state: RenderState, assets: IslandAssets, nonce: string) {
  const files = [...new Set([...state.used].map((info) => info.file))].sort();
  const urls = files.map((file) => assets.chunkUrl(file));
  let code = `import{boot}from${scriptStringLiteral(assets.bootUrl)};`;
  urls.forEach((url, i) => code += `import*as i${i} from${scriptStringLiteral(url)};`);
  const islands = [...state.used]
    .sort((a, b) => a.id < b.id ? -1 : 1)
    .map((info) =>
      `${JSON.stringify(info.id)}:i${files.indexOf(info.file)}[${JSON.stringify(info.exportName)}]`
    );
  code += `boot({${islands.join(",")}},${scriptStringLiteral(state.props.toJSON())},` +
    `${state.props.hasSignals ? 1 : 0}${
      assets.buildId ? "," + scriptStringLiteral(assets.buildId) : ""
    });`;
  return {
    html: `<script type="module" nonce="${escapeAttr(nonce)}">${code}</script>`,
    preloadUrls: assets.preloadUrls([assets.bootUrl, ...urls]),
  };
}

/** Inserts `insert` before the last `tag`, or appends it when the tag is absent. */
function insertBefore(html: string, tag: string, insert: string): string {
  const at = html.lastIndexOf(tag);
  return at === -1 ? html + insert : html.slice(0, at) + insert + html.slice(at);
}

/** Adds `<Head>` output to the document head; a page's `<title>` replaces the app's default. */
function mergeHead(html: string, extra: string): string {
  const end = html.indexOf("</head>");
  if (end === -1) return html;
  let head = html.slice(0, end);
  if (extra.includes("<title")) head = head.replace(/<title>[\s\S]*?<\/title>/, "");
  return head + extra + html.slice(end);
}

/** Renders a whole document; adds the island boot script before `</body>` when islands rendered. */
export function renderPage(
  vnode: VNode,
  opts: RenderPageOptions,
): { html: string; preloadUrls: string[] } {
  if (opts.assets?.buildId) setBuildId(opts.assets.buildId);
  const state: RenderState = {
    registry: opts.registry,
    props: new PropsSerializer(),
    used: new Set(),
    slots: [],
    depth: 0,
    savedDepths: [],
  };
  const head: ComponentChildren[] = [];
  let html = collectHead((children) => head.push(children), () => renderWith(state, vnode));
  if (head.length) html = mergeHead(html, renderToString(h(Fragment, null, head)));
  if (state.used.size === 0) return { html: `<!DOCTYPE html>${html}`, preloadUrls: [] };
  if (!opts.assets) {
    const names = [...state.used].map((info) => info.id).join(", ");
    throw new Error(`Cannot render islands (${names}): islands are not built`);
  }
  const tail = renderUnusedSlots(state);
  const script = bootScript(state, opts.assets, opts.nonce);
  html = insertBefore(html, "</body>", tail + script.html);
  return { html: `<!DOCTYPE html>${html}`, preloadUrls: script.preloadUrls };
}
