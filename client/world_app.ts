/**
 * World App detection and MiniKit, for every island that pays, shares or signs in through World
 * App. Small on purpose and apart from the session (client/sign_in.ts): the event, invite and
 * thread pages need only these two functions.
 */
import { ApiError } from "./api.ts";

/** Where the page runs: the server (unknown), inside World App, or a normal browser. */
export type Host = "unknown" | "world-app" | "browser";

/**
 * The host. World App's webview injects `window.WorldApp` before the page loads (what MiniKit
 * checks), so islands read it in their first browser render.
 */
export function host(): Host {
  if (typeof document === "undefined") return "unknown";
  return (globalThis as { WorldApp?: unknown }).WorldApp ? "world-app" : "browser";
}

type MiniKitModule = typeof import("./vendor/minikit.ts");
let sdk: Promise<MiniKitModule> | undefined;

/**
 * Loads MiniKit and installs it for `appId`, once; rejects with an {@link ApiError}. MiniKit is
 * bundled apart (client/vendor/minikit.ts → `minikit.js` beside this chunk, see fresh/build.ts), so
 * the CommonJS helpers its dependencies need stay out of every page's shared chunks.
 */
export function loadMiniKit(appId: string): Promise<MiniKitModule> {
  const url = new URL("minikit.js", import.meta.url).href;
  return sdk ??= (import(url) as Promise<MiniKitModule>).then((mod) => {
    const installed = mod.MiniKit.install(appId);
    if (!installed.success && installed.errorCode !== "already_installed") {
      sdk = undefined;
      throw new ApiError(0, installed.errorCode, installed.errorMessage);
    }
    return mod;
  });
}
