/** `deno task manifest [--check]`: regenerates `fresh.gen.ts`, or checks that it is current. */
import { writeManifest } from "$fresh/manifest.ts";

const root = new URL("..", import.meta.url).pathname;
const check = Deno.args.includes("--check");
const ok = await writeManifest(root, check);
if (!ok) {
  console.error("fresh.gen.ts is stale: run `deno task manifest`.");
  Deno.exit(1);
}
