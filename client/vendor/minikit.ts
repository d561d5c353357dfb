/**
 * MiniKit for the browser, bundled on its own as `minikit.js` (fresh/build.ts: `client/vendor/`)
 * and loaded by client/world_app.ts inside World App only.
 */
export * from "@worldcoin/minikit-js";
