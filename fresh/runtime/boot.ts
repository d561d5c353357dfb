/**
 * The browser boot entry. The page's inline module script imports it with the island chunks and
 * calls `boot(islands, payload, hasSignals, buildId)`.
 */
import type { ComponentType } from "preact";
import { deserialize } from "../islands/serialize.ts";
import { revive } from "./revive.ts";
import { mount } from "./root_fragment.ts";
import { setBuildId } from "./build_id.ts";

/** Deserializes the island props and renders every island into its marked range of the page. */
export async function boot(
  islands: Record<string, ComponentType>,
  payload: string,
  hasSignals?: 0 | 1,
  buildId?: string,
): Promise<void> {
  setBuildId(buildId);
  // Only pages whose props carry signals pay for loading them here.
  const signal = hasSignals ? (await import("@preact/signals")).signal : undefined;
  const props = deserialize(payload, { signal }) as Record<string, unknown>[];
  for (const { vnode, start, end } of revive(document.body, islands, props)) {
    try {
      mount(vnode, start, end);
    } catch (error) {
      console.error("Island failed to hydrate:", error);
    }
  }
}
