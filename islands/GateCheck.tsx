import { Component } from "preact";
import { Button } from "@/components/Button.tsx";
import { callApi, describeError } from "@/client/api.ts";
import { destinationOf, refreshSession } from "@/client/sign_in.ts";
import { type Progress, Status } from "@/components/auth/Status.tsx";

/** Props of the GateCheck island: none. */
export type GateCheckProps = Record<never, never>;

/** Re-checks the session wallet's gate NFT (`POST /api/auth/nft-verify`); admitted → the vault. */
export default class GateCheck extends Component<GateCheckProps, { progress?: Progress }> {
  show(progress: Progress) {
    this.setState({ progress });
  }

  recheck = async () => {
    this.show({ kind: "busy", text: "Looking in your wallet…" });
    try {
      const { holdsGateNft } = await callApi<{ holdsGateNft: boolean }>("/api/auth/nft-verify", {});
      const session = holdsGateNft ? await refreshSession() : null;
      if (session?.membership.admitted) {
        this.show({ kind: "done", text: "The seal is yours. The vault opens…" });
        location.assign(destinationOf(session.membership));
      } else {
        this.show({
          kind: "error",
          text: holdsGateNft
            ? "You hold the seal. Prove you are human with World ID to enter."
            : "No seal in your wallet yet. A new one can take a minute to arrive: check again soon.",
        });
      }
    } catch (error) {
      this.show({ kind: "error", text: describeError(error) });
    }
  };

  render() {
    const { progress = { kind: "idle" } } = this.state;
    const busy = progress.kind === "busy";
    return (
      <div>
        <Button
          block
          onClick={this.recheck}
          disabled={busy}
          aria-busy={busy}
          data-testid="nft-recheck"
        >
          Check my wallet again
        </Button>
        <Status progress={progress} testId="nft-status" />
      </div>
    );
  }
}
