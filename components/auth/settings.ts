/**
 * Server side: the public sign-in settings a page hands its islands, read from the config, and the
 * link that opens the mini-app in World App.
 */
import type { AppConfig } from "@/core/config.ts";
import type { SignInSettings } from "./types.ts";

/** Config fields the identity layer adds (read defensively: older configs lack them). */
type IdentityConfig = Partial<{
  worldId: { appId: string; action: string };
  chain: { id: number };
  devSignIn: boolean;
}>;

const CHAIN_NAMES: Record<number, string> = {
  480: "World Chain",
  4801: "World Chain Sepolia",
  31337: "Local chain",
};

/** A readable name for a chain id. */
export function chainName(chainId: number): string {
  return CHAIN_NAMES[chainId] ?? `Chain ${chainId}`;
}

/** The settings of the sign-in islands; never includes secrets. */
export function signInSettings(config: AppConfig): SignInSettings {
  const identity = config as AppConfig & IdentityConfig;
  const chainId = identity.chain?.id ?? 480;
  return {
    appId: identity.worldId?.appId ?? "app_aurum_circle_dev",
    action: identity.worldId?.action ?? "enter-the-circle",
    chainId,
    chainName: chainName(chainId),
    devSignIn: identity.devSignIn === true,
  };
}

/** The link that opens the mini-app in World App (as `MiniKit.getMiniAppUrl` builds it). */
export function miniAppUrl(appId: string): string {
  return `https://world.org/mini-app?app_id=${encodeURIComponent(appId)}`;
}
