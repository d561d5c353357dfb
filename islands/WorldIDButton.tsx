import { useState } from "preact/hooks";
import { Button, ButtonLink } from "../components/Button.tsx";
import {
  api,
  describeError,
  destinationOf,
  host,
  loadMiniKit,
  refreshSession,
  useSession,
} from "../components/auth/client.ts";
import { type Progress, Status } from "../components/auth/Status.tsx";

/** Props of the WorldIDButton island. */
export interface WorldIDButtonProps {
  /** World developer portal app id. */
  appId: string;
  /** The World ID action the proof is made for. */
  action: string;
  /** Development sign-in is offered on this page. */
  devSignIn: boolean;
}

const VERIFY_ERRORS: Record<string, string> = {
  verification_rejected: "You closed World ID. Verify again when you are ready.",
  credential_unavailable: "This World ID has no Orb verification yet. Visit an Orb, then return.",
  inclusion_proof_pending: "Your Orb verification is still settling. Try again later.",
};

/**
 * Step 2, prove you are a unique human. Inside World App: MiniKit `verify` (Orb level) with the
 * wallet address as the signal, then `POST /api/auth/worldid`. Needs a connected wallet first.
 */
export default function WorldIDButton({ appId, action, devSignIn }: WorldIDButtonProps) {
  const session = useSession();
  const [progress, setProgress] = useState<Progress>({ kind: "idle" });
  const level = session?.verification.worldId?.level;

  async function verify() {
    setProgress({ kind: "busy", text: "Waiting for World ID…" });
    try {
      const { MiniKit, VerificationLevel } = await loadMiniKit(appId);
      const { finalPayload } = await MiniKit.commandsAsync.verify({
        action,
        signal: session!.user.address,
        verification_level: VerificationLevel.Orb,
      });
      if (!("proof" in finalPayload)) {
        const code = finalPayload.status === "error" ? finalPayload.error_code : "";
        return setProgress({
          kind: "error",
          text: VERIFY_ERRORS[code] ?? "World ID could not verify you. Please try again.",
        });
      }
      setProgress({ kind: "busy", text: "Checking your proof…" });
      const { proof, merkle_root, nullifier_hash, verification_level } = finalPayload;
      await api("/api/auth/worldid", { proof, merkle_root, nullifier_hash, verification_level });
      const signedIn = await refreshSession();
      if (signedIn) location.assign(destinationOf(signedIn.membership));
    } catch (error) {
      setProgress({ kind: "error", text: describeError(error) });
    }
  }

  if (session && level) {
    return (
      <div class="auth-done" data-testid="worldid-verified">
        <p>Verified human · World ID ({level.replace("_", " ")})</p>
        <ButtonLink
          href={destinationOf(session.membership)}
          variant="ghost"
          block
          data-testid="signin-continue"
        >
          {session.membership.admitted ? "Enter the vault" : "Continue to the gate"}
        </ButtonLink>
      </div>
    );
  }
  if (host() === "browser") {
    return (
      <p class="auth-note" data-testid="worldid-outside">
        World ID proofs are made in World App.{devSignIn
          ? " Development personas arrive verified."
          : ""}
      </p>
    );
  }
  const busy = progress.kind === "busy";
  return (
    <div>
      <Button
        block
        variant="ghost"
        onClick={verify}
        disabled={!session || busy}
        aria-busy={busy}
        data-testid="worldid-verify"
      >
        Verify with World ID
      </Button>
      {session ? null : <p class="auth-note">Connect your wallet first.</p>}
      <Status progress={progress} testId="worldid-status" />
    </div>
  );
}
