/** Shapes shared by the sign-in islands and pages (all serializable, no secrets). */

/** How a member was admitted to the vault. */
export type AdmissionVia = "gate_nft" | "invite";

/** The signed-in member as `GET /api/auth/session` returns it. */
export interface SessionView {
  user: { id: string; address: string; displayName: string | null };
  verification: { worldId: { level: string } | null };
  membership: { admitted: boolean; via: AdmissionVia | null };
}

/** A development identity offered by the persona picker. */
export interface Persona {
  id: string;
  label: string;
  description: string;
}

/** What the sign-in page hands its islands, read from the server config. */
export interface SignInSettings {
  /** The World developer portal app id (`app_…`), used by MiniKit and the World App link. */
  appId: string;
  /** The World ID action id the proof is made for. */
  action: string;
  chainId: number;
  chainName: string;
  /** Development sign-in with personas is enabled on this server. */
  devSignIn: boolean;
}
