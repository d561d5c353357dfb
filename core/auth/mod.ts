/**
 * The identity domain's face: World ID, wallet sign-in (SIWE), sessions, the gate NFT and access
 * levels. Code outside `core/auth/` imports from here.
 */
export * from "./access.ts";
export * from "./dev_personas.ts";
export * from "./gate.ts";
export * from "./nonces.ts";
export * from "./personhood.ts";
export * from "./random.ts";
export * from "./rate_limits.ts";
export * from "./sessions.ts";
export * from "./sign_in.ts";
export * from "./siwe.ts";
export * from "./worldid.ts";
