/**
 * Attribute serialization for precompiled JSX (`"jsx": "precompile"`), where static markup becomes
 * template strings and each dynamic attribute goes through `jsxAttr(name, value)`. Preact's
 * `jsxAttr` drops `false` and writes `true` as a bare name, which is right for boolean HTML
 * attributes (`hidden`, `disabled`) but not for `aria-*` and `data-*` ones, whose values are the
 * strings "true" and "false" (`aria-expanded={false}` must stay `aria-expanded="false"`), nor for
 * the enumerated `draggable` and `spellcheck`. This hook writes those as
 * preact-render-to-string and the browser's Preact do, so server HTML and hydration agree.
 *
 * The transform also lowercases prop names, on templates and on the elements it leaves to `jsx()`
 * (those with a spread, and the ones deno.json skips), so the form props that preact-render-to-string
 * serializes specially arrive as `defaultvalue`, `defaultchecked` and `defaultselected`: the hooks
 * below give them back their meaning (`value`, `checked`, `selected`), or a field would render
 * empty on the server.
 */
import { options } from "preact";

const ENUMERATED = new Set(["draggable", "spellcheck"]);
const DASH = 45; // "-"

/** The string for a boolean-valued `aria-*`, `data-*` or enumerated attribute, else undefined. */
export function stringBooleanAttr(name: string, value: unknown): string | undefined {
  if (name.charCodeAt(4) !== DASH && !ENUMERATED.has(name)) return undefined;
  // Signals unwrap through valueOf, as jsxAttr itself does.
  const v = value !== null && typeof value === "object" ? value.valueOf() : value;
  return typeof v === "boolean" ? `${name}="${v}"` : undefined;
}

// What preact-render-to-string escapes in attribute values.
const ESCAPED = /["&<]/g;
const ENTITIES: Record<string, string> = { '"': "&quot;", "&": "&amp;", "<": "&lt;" };

/** An attribute value escaped for a double-quoted attribute. */
function escapeAttr(value: string): string {
  return value.replace(ESCAPED, (c) => ENTITIES[c]);
}

/** The serialized attribute for a template's `jsxAttr(name, value)`, or undefined for the default. */
export function precompiledAttr(name: string, value: unknown): string | undefined {
  if (name === "defaultvalue") {
    return value == null || value === false ? "" : `value="${escapeAttr(String(value))}"`;
  }
  if (name === "defaultchecked") return value ? "checked" : "";
  return stringBooleanAttr(name, value);
}

const RENAMED: Record<string, string> = {
  defaultvalue: "defaultValue",
  defaultchecked: "defaultChecked",
  defaultselected: "defaultSelected",
};

/** Gives an element vnode's lowercased form props their React names back (in place). */
function restoreFormProps(props: Record<string, unknown>): void {
  for (const lower in RENAMED) {
    if (lower in props) {
      props[RENAMED[lower]] = props[lower];
      delete props[lower];
    }
  }
}

const previousAttrHook = options.attr;
options.attr = (name, value) => {
  const previous = previousAttrHook?.(name, value);
  if (typeof previous === "string") return previous;
  return precompiledAttr(name, value);
};

const previousVNodeHook = options.vnode;
options.vnode = (vnode) => {
  switch (vnode.type) {
    case "input":
    case "textarea":
    case "select":
    case "option":
      restoreFormProps(vnode.props as Record<string, unknown>);
  }
  previousVNodeHook?.(vnode);
};
