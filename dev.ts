/**
 * Development entry. `deno task dev`: regenerate the manifest and serve with in-memory island
 * bundles (restarted by `--watch` on change). `deno task build`: write the manifest and `_fresh/`.
 * `deno run -A dev.ts check`: fail when `fresh.gen.ts` or `_fresh/` is stale.
 */
import { dev } from "$fresh/dev.ts";

await dev(import.meta.url, "./main.ts");
