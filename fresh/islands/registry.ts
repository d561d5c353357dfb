/**
 * The island registry: every function exported by an `./islands/*.tsx` module is an island with a
 * stable id derived from its file and export name.
 */
import type { ComponentType } from "preact";
import type { Manifest } from "../types.ts";

/** One island component and where it comes from. */
export interface IslandInfo {
  /** Stable id used in HTML markers and in the boot script, e.g. `Counter` or `Counter_Named`. */
  id: string;
  /** The manifest key of the island's module, e.g. `./islands/Counter.tsx`. */
  file: string;
  /** `default` or the named export. */
  exportName: string;
  // deno-lint-ignore no-explicit-any
  component: ComponentType<any>;
}

/** All islands of an app, looked up by component. */
export interface IslandRegistry {
  islands: IslandInfo[];
  byComponent: Map<unknown, IslandInfo>;
}

// Every component ever registered, so the server's vnode hook can recognise island vnodes created
// before a render started (e.g. by async pages).
const knownIslands = new WeakSet<object>();

/** Whether `fn` was registered as an island by any registry in this process. */
export function isIslandComponent(fn: unknown): boolean {
  return typeof fn === "function" && knownIslands.has(fn);
}

/** The file part of an island id: `./islands/forms/Input.tsx` → `forms_Input`. */
export function islandFileId(file: string): string {
  const base = file.replace(/^\.?\/?islands\//, "").replace(/\.[jt]sx?$/, "");
  return base.replace(/[^A-Za-z0-9_$]/g, "_");
}

/** The names of a module's exports that are functions (components), `default` first. */
export function componentExports(mod: Record<string, unknown>): string[] {
  return Object.keys(mod)
    .filter((name) => typeof mod[name] === "function")
    .sort((a, b) => a === "default" ? -1 : b === "default" ? 1 : a < b ? -1 : a > b ? 1 : 0);
}

/** Builds the registry from the manifest's `islands` record. */
export function collectIslands(manifestIslands: Manifest["islands"]): IslandRegistry {
  const islands: IslandInfo[] = [];
  const byComponent = new Map<unknown, IslandInfo>();
  const usedIds = new Set<string>();
  for (const file of Object.keys(manifestIslands).sort()) {
    const mod = manifestIslands[file];
    for (const exportName of componentExports(mod)) {
      const component = mod[exportName] as IslandInfo["component"];
      const base = islandFileId(file) + (exportName === "default" ? "" : `_${exportName}`);
      let id = base;
      for (let n = 2; usedIds.has(id); n++) id = `${base}_${n}`;
      usedIds.add(id);
      const info: IslandInfo = { id, file, exportName, component };
      islands.push(info);
      // A component re-exported by two island files keeps its first id.
      if (!byComponent.has(component)) byComponent.set(component, info);
      knownIslands.add(component);
    }
  }
  return { islands, byComponent };
}
