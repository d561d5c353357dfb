import { shortAddress } from "@/client/sign_in.ts";

/** Props of {@link SessionIdentity}. */
export interface SessionIdentityProps {
  /** Checksummed wallet address. */
  address: string;
  displayName: string | null;
  /** World ID verification level, when verified. */
  worldIdLevel?: string | null;
}

/** Who is signed in: the name (or short address) and a World ID badge; for both session controls. */
export function SessionIdentity({ address, displayName, worldIdLevel }: SessionIdentityProps) {
  return (
    <>
      <span class="visually-hidden">Signed in as</span>
      <span class="session__name" title={address} data-testid="session-name">
        {displayName ?? shortAddress(address)}
      </span>
      {worldIdLevel
        ? (
          <span
            class="session__badge"
            title="Verified human"
            data-testid="session-worldid"
          >
            <span class="visually-hidden">Verified human</span>
          </span>
        )
        : null}
    </>
  );
}
