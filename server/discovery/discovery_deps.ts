/** What the discovery routes hand to `core/discovery`'s recommendations. */
import type { RecommendDeps } from "@/core/discovery/mod.ts";
import type { AppDeps } from "@/server/deps.ts";

/** Recommendation dependencies built from the app's. */
export function recommendDeps(deps: Pick<AppDeps, "kv" | "clock" | "ml">): RecommendDeps {
  return { kv: deps.kv, clock: deps.clock, ml: deps.ml };
}
