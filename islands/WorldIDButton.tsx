import type { ComponentChildren } from "preact";
import { Button, ButtonLink } from "@/components/Button.tsx";
import { callApi, describeError } from "@/client/api.ts";
import { destinationOf, refreshSession, SessionAware } from "@/client/sign_in.ts";
import { host, loadMiniKit } from "@/client/world_app.ts";
import { Status } from "@/components/auth/Status.tsx";

/** Props of the WorldIDButton island. */
export interface WorldIDButtonProps {
  /** Where to go once signed in (a same-site path), else the default. */
  next?: string | null;
  /** World developer portal app id. */
  appId: string;
  /** The World ID action the proof is made for. */
  action: string;
  /** Shown instead of the button outside World App (server-rendered slot, so no text in JS). */
  outside?: ComponentChildren;
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
export default class WorldIDButton extends SessionAware<WorldIDButtonProps> {
  verify = async () => {
    const { appId, action } = this.props;
    this.show({ kind: "busy", text: "Waiting for World ID…" });
    try {
      const { MiniKit, VerificationLevel } = await loadMiniKit(appId);
      const { finalPayload } = await MiniKit.commandsAsync.verify({
        action,
        signal: this.state.session!.user.address,
        verification_level: VerificationLevel.Orb,
      });
      if (!("proof" in finalPayload)) {
        const code = finalPayload.status === "error" ? finalPayload.error_code : "";
        return this.show({
          kind: "error",
          text: VERIFY_ERRORS[code] ?? "World ID could not verify you. Please try again.",
        });
      }
      this.show({ kind: "busy", text: "Checking your proof…" });
      const { proof, merkle_root, nullifier_hash, verification_level } = finalPayload;
      await callApi("/api/auth/worldid", {
        proof,
        merkle_root,
        nullifier_hash,
        verification_level,
      });
      const signedIn = await refreshSession();
      if (signedIn) location.assign(destinationOf(signedIn.membership, this.props.next));
    } catch (error) {
      this.show({ kind: "error", text: describeError(error) });
    }
  };

  render() {
    const { session, progress = { kind: "idle" } } = this.state;
    const level = session?.verification.worldId?.level;
    const busy = progress.kind === "busy";
    // One stable root element: the first browser render replaces the server's markup in place.
    return (
      <div class="auth-control">
        {session && level
          ? (
            <div class="auth-done" data-testid="worldid-verified">
              <p>You are a verified human.</p>
              <ButtonLink
                href={destinationOf(session.membership, this.props.next)}
                variant="ghost"
                block
                data-testid="signin-continue"
              >
                {session.membership.admitted ? "Enter the vault" : "Continue to the gate"}
              </ButtonLink>
            </div>
          )
          : host() === "browser"
          ? this.props.outside
          : (
            <>
              <Button
                block
                variant="ghost"
                onClick={this.verify}
                disabled={!session || busy}
                aria-busy={busy}
                data-testid="worldid-verify"
              >
                Verify with World ID
              </Button>
              {session ? null : <p class="auth-note">Connect your wallet first.</p>}
              <Status progress={progress} testId="worldid-status" />
            </>
          )}
      </div>
    );
  }
}
