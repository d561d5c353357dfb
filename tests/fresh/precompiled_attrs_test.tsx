/**
 * Pages compile JSX to precompiled templates, whose dynamic attributes go through `jsxAttr`.
 * Boolean `aria-*`/`data-*` values and the enumerated `draggable`/`spellcheck` must render as the
 * classic runtime renders them ("true"/"false"), or the server HTML loses `aria-expanded="false"`
 * and hydration disagrees with it.
 */
import assert from "node:assert/strict";
import { h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { BenchCardsPage } from "@/bench/web_page.tsx";
import "@/fresh/precompiled_attrs.ts";

const ROOT = new URL("../../", import.meta.url);

/** Every `aria-…={expression}` attribute name set in the server-rendered sources. */
async function ariaExpressionNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const folder of ["components", "islands", "routes"]) {
    const walk = async (dir: URL) => {
      for await (const entry of Deno.readDir(dir)) {
        const url = new URL(entry.name + (entry.isDirectory ? "/" : ""), dir);
        if (entry.isDirectory) await walk(url);
        else if (entry.name.endsWith(".tsx")) {
          const source = await Deno.readTextFile(url);
          for (const m of source.matchAll(/\s(aria-[a-z-]+)=\{/g)) names.add(m[1]);
        }
      }
    };
    await walk(new URL(`${folder}/`, ROOT));
  }
  return names;
}

/** A precompiled element whose one attribute is dynamic: the transform emits `jsxAttr(name, v)`. */
function precompiled(name: string, value: unknown): string {
  // Templates keep the space before an attribute that rendered empty: `<i >`.
  return renderToString(PROBES[name](value)).replace(/\s+>/g, ">");
}

// One precompiled element per attribute name (JSX needs literal names to be precompiled).
const PROBES: Record<string, (v: unknown) => preact.JSX.Element> = {
  "aria-busy": (v) => <i aria-busy={v as boolean} />,
  "aria-current": (v) => <i aria-current={v as boolean} />,
  "aria-describedby": (v) => <i aria-describedby={v as string} />,
  "aria-disabled": (v) => <i aria-disabled={v as boolean} />,
  "aria-expanded": (v) => <i aria-expanded={v as boolean} />,
  "aria-hidden": (v) => <i aria-hidden={v as boolean} />,
  "aria-invalid": (v) => <i aria-invalid={v as boolean} />,
  "aria-label": (v) => <i aria-label={v as string} />,
  "aria-labelledby": (v) => <i aria-labelledby={v as string} />,
  "aria-pressed": (v) => <i aria-pressed={v as boolean} />,
  "aria-selected": (v) => <i aria-selected={v as boolean} />,
  "aria-checked": (v) => <i aria-checked={v as boolean} />,
  "data-flag": (v) => <i data-flag={v as boolean} />,
  draggable: (v) => <i draggable={v as boolean} />,
  spellcheck: (v) => <i spellcheck={v as boolean} />,
  hidden: (v) => <i hidden={v as boolean} />,
};

/** The same element through the classic runtime (`h`), as before precompilation. */
function classic(name: string, value: unknown): string {
  return renderToString(h("i", { [name]: value }));
}

Deno.test("[precompile] the probes really are precompiled templates", () => {
  const vnode = PROBES["aria-expanded"](false) as unknown as { props: Record<string, unknown> };
  assert.ok(Array.isArray(vnode.props.tpl), "deno.json compiles JSX with `precompile`");
});

Deno.test("[precompile] every aria attribute the components set renders as with the classic runtime", async () => {
  const names = await ariaExpressionNames();
  assert.ok(names.has("aria-expanded") && names.has("aria-busy"), [...names].join(", "));
  for (const name of names) {
    assert.ok(PROBES[name], `add a probe for ${name}`);
    for (const value of [true, false, "true", "false", "page", "", undefined, null]) {
      assert.equal(
        precompiled(name, value),
        classic(name, value).replace(` ${name}>`, ` ${name}="">`),
        `${name}={${JSON.stringify(value)}}`,
      );
    }
  }
});

Deno.test("[precompile] data-*, draggable, spellcheck and hidden keep their boolean forms", () => {
  for (const name of ["data-flag", "draggable", "spellcheck", "hidden"]) {
    for (const value of [true, false]) {
      assert.equal(precompiled(name, value), classic(name, value), `${name}={${value}}`);
    }
  }
  assert.equal(precompiled("aria-expanded", false), '<i aria-expanded="false"></i>');
  assert.equal(precompiled("aria-pressed", true), '<i aria-pressed="true"></i>');
  assert.equal(precompiled("hidden", true), "<i hidden></i>");
  assert.equal(precompiled("hidden", false), "<i></i>");
});

Deno.test("[precompile] real pages keep their boolean aria attributes", async () => {
  const kv = await Deno.openKv(":memory:");
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-precompile-" });
  try {
    const app = await createApp(
      {
        kv,
        logger: createMemoryLogger(),
        config: loadConfig({ AURUM_ENV: "test", DATA_DIR: dataDir }),
      },
      {
        plugins: [{ name: "bench", routes: [{ path: "/bench/cards", component: BenchCardsPage }] }],
      },
      { access: { "/bench/cards": "public" } },
    );
    const get = async (path: string) => {
      const res = await app.fetch(new Request(`http://localhost:8000${path}`));
      assert.equal(res.status, 200, path);
      return await res.text();
    };
    // OathReveal: `aria-expanded={revealed.value}`, false until the seal is broken.
    const bench = await get("/bench/cards");
    assert.match(bench, /<!--frsh:OathReveal:0-->/);
    assert.match(bench, /<button type="button" class="oath__seal"\s+aria-expanded="false"/);
    // The sign-in buttons: `aria-busy={busy}`, false at rest.
    const signin = await get("/signin");
    assert.ok((signin.match(/aria-busy="false"/g) ?? []).length >= 2, "aria-busy on /signin");
    assert.match(signin, /<!--frsh:ConnectWalletButton:\d+-->/);
    // Static aria attributes stay as they are written.
    assert.match(bench, /<span class="wordmark__name" aria-hidden="true">Aurum Circle<\/span>/);
  } finally {
    kv.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("[precompile] form defaults render as values, checks and selections", () => {
  const v = 'a "quoted" & <b>';
  const rest = { name: "n" };
  const normalize = (html: string) => html.replace(/\s*\/?>/g, ">").replace(/\s+/g, " ");
  const same = (precompiledVNode: unknown, classicVNode: unknown) =>
    assert.equal(
      normalize(renderToString(precompiledVNode as VNode)),
      normalize(renderToString(classicVNode as VNode)),
    );
  const on = true, off = false;
  same(<input defaultValue={v} />, h("input", { defaultValue: v }));
  same(
    <input type="checkbox" defaultChecked={on} />,
    h("input", { type: "checkbox", defaultChecked: true }),
  );
  same(
    <input type="checkbox" defaultChecked={off} />,
    h("input", { type: "checkbox", defaultChecked: false }),
  );
  same(<input {...rest} defaultValue={v} />, h("input", { ...rest, defaultValue: v }));
  same(<textarea {...rest} defaultValue={v} />, h("textarea", { ...rest, defaultValue: v }));
  same(<textarea defaultValue={v} />, h("textarea", { defaultValue: v }));
  same(
    <select name="s">
      <option value="a" selected={on}>a</option>
    </select>,
    h("select", { name: "s" }, h("option", { value: "a", selected: true }, "a")),
  );
  assert.match(renderToString(<input defaultValue="x" />), /value="x"/);
});
