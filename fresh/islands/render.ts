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
import "../precompiled_attrs.ts";

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
  assets: IslandAssets | null;
  nonce: string;
  props: PropsSerializer;
  used: Set<IslandInfo>;
  slots: PendingSlot[];
  /** > 0 while rendering an island's own JSX, where islands are plain components. */
  depth: number;
  savedDepths: number[];
  /** Set once the document's `<body>` got the tail (unused slots and boot script) appended. */
  tailPlaced: boolean;
  /** Set by the tail when it rendered: what the boot script preloads. */
  preloadUrls: string[] | null;
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
  if (type === "body" && current !== null && !current.tailPlaced) {
    // The body's last child renders after everything else in it (rendering is depth-first and
    // in order), when the islands on the page are known: no search through the finished HTML.
    current.tailPlaced = true;
    const props = vnode.props as { children?: ComponentChildren };
    props.children = [props.children, h(PageTail, null)];
  } else if (
    // Precompiled templates are Fragment vnodes: the most frequent, never an island.
    bypass === 0 && typeof type === "function" && type !== Fragment && isIslandComponent(type) &&
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

/**
 * The end of the body: `<template>`s for slots the islands did not render (so the browser still
 * gets them), then the boot script. Rendering a template can reveal more islands with slots, so
 * the component repeats itself until none are left.
 */
function PageTail(props: { from?: number }): ComponentChildren {
  const state = current;
  if (!state) return null;
  const end = state.slots.length;
  const templates: ComponentChildren[] = [];
  for (let i = props.from ?? 0; i < end; i++) {
    const slot = state.slots[i];
    if (!slot.rendered) {
      templates.push(h("template", { [SLOT_TEMPLATE_ATTR]: "" }, h(SlotBoundary, { slot })));
    }
  }
  if (templates.length) return [templates, h(PageTail, { from: end })];
  if (state.used.size === 0 || !state.assets) return null;
  const script = bootScript(state, state.assets);
  state.preloadUrls = script.preloadUrls;
  return h("script", {
    type: "module",
    nonce: state.nonce,
    dangerouslySetInnerHTML: { __html: script.code },
  });
}

interface BootImports {
  /** `import` statements of the boot code and the island chunks. */
  code: string;
  /** `"id":i0["export"],…`: the island table passed to `boot`. */
  table: string;
  preloadUrls: string[];
}

// What the boot script imports depends only on which islands a page used: computed once per set.
const bootImportsCache = new WeakMap<IslandAssets, Map<string, BootImports>>();

function bootImports(used: Set<IslandInfo>, assets: IslandAssets): BootImports {
  const infos = [...used].sort((a, b) => a.id < b.id ? -1 : 1);
  const key = infos.map((info) => info.id).join("\n");
  let byKey = bootImportsCache.get(assets);
  if (!byKey) bootImportsCache.set(assets, byKey = new Map());
  const cached = byKey.get(key);
  if (cached) return cached;
  const files = [...new Set(infos.map((info) => info.file))].sort();
  const urls = files.map((file) => assets.chunkUrl(file));
  let code = `import{boot}from${scriptStringLiteral(assets.bootUrl)};`;
  urls.forEach((url, i) => code += `import*as i${i} from${scriptStringLiteral(url)};`);
  const table = infos
    .map((info) =>
      `${JSON.stringify(info.id)}:i${files.indexOf(info.file)}[${JSON.stringify(info.exportName)}]`
    )
    .join(",");
  const imports = { code, table, preloadUrls: assets.preloadUrls([assets.bootUrl, ...urls]) };
  byKey.set(key, imports);
  return imports;
}

/** The module code that loads the used islands and boots them with the page's props. */
function bootScript(state: RenderState, assets: IslandAssets) {
  const imports = bootImports(state.used, assets);
  const code = `${imports.code}boot({${imports.table}},${
    scriptStringLiteral(state.props.toJSON())
  },${state.props.hasSignals ? 1 : 0}${
    assets.buildId ? "," + scriptStringLiteral(assets.buildId) : ""
  });`;
  return { code, preloadUrls: imports.preloadUrls };
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

/**
 * Renders a whole document. When islands rendered, the boot script ends the `<body>` (or the
 * document, when it has no body) and its chunks are returned for `Link: rel=modulepreload`.
 */
export function renderPage(
  vnode: VNode,
  opts: RenderPageOptions,
): { html: string; preloadUrls: string[] } {
  if (opts.assets?.buildId) setBuildId(opts.assets.buildId);
  const state: RenderState = {
    registry: opts.registry,
    assets: opts.assets,
    nonce: opts.nonce,
    props: new PropsSerializer(),
    used: new Set(),
    slots: [],
    depth: 0,
    savedDepths: [],
    tailPlaced: false,
    preloadUrls: null,
  };
  const head: ComponentChildren[] = [];
  let html = collectHead((children) => head.push(children), () => renderWith(state, vnode));
  if (head.length) html = mergeHead(html, renderToString(h(Fragment, null, head)));
  if (state.used.size === 0) return { html: `<!DOCTYPE html>${html}`, preloadUrls: [] };
  if (!opts.assets) {
    const names = [...state.used].map((info) => info.id).join(", ");
    throw new Error(`Cannot render islands (${names}): islands are not built`);
  }
  if (state.preloadUrls) return { html: `<!DOCTYPE html>${html}`, preloadUrls: state.preloadUrls };
  // The tail was not placed: the `<body>` vnode was made before rendering, or there is none.
  // The same component renders it on its own, and it goes before `</body>` (or at the end).
  html = insertBefore(html, "</body>", renderWith(state, h(PageTail, null)));
  return { html: `<!DOCTYPE html>${html}`, preloadUrls: state.preloadUrls ?? [] };
}
