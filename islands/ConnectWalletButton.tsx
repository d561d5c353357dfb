import type { ComponentChildren } from "preact";
import { Button } from "@/components/Button.tsx";
import { callApi, describeError } from "@/client/api.ts";
import { destinationOf, refreshSession, SessionAware, shortAddress } from "@/client/sign_in.ts";
import { host, loadMiniKit } from "@/client/world_app.ts";
import { Status } from "@/components/auth/Status.tsx";

/** Props of the ConnectWalletButton island. */
export interface ConnectWalletButtonProps {
  /** Where to go once signed in (a same-site path), else the default. */
  next?: string | null;
  /** World developer portal app id, for MiniKit. */
  appId: string;
  /** Shown instead of the button outside World App (server-rendered slot, so no text in JS). */
  outside?: ComponentChildren;
}

/**
 * Step 1, sign in with the wallet. Inside World App: a nonce from the server, MiniKit `walletAuth`,
 * then `POST /api/auth/wallet`. Outside World App: where sign-in happens instead.
 */
export default class ConnectWalletButton extends SessionAware<ConnectWalletButtonProps> {
  connect = async () => {
    this.show({ kind: "busy", text: "Waiting for your wallet…" });
    try {
      const { MiniKit } = await loadMiniKit(this.props.appId);
      const { nonce } = await callApi<{ nonce: string }>("/api/auth/nonce");
      const { finalPayload } = await MiniKit.commandsAsync.walletAuth({
        nonce,
        statement: "Enter Aurum Circle, a private society of verified humans.",
        expirationTime: new Date(Date.now() + 600_000),
      });
      if (finalPayload.status !== "success") {
        return this.show({
          kind: "error",
          text: finalPayload.error_code === "user_rejected"
            ? "You closed the request. Connect again when you are ready."
            : "Your wallet could not sign in. Please try again.",
        });
      }
      this.show({ kind: "busy", text: "Checking your signature…" });
      await callApi("/api/auth/wallet", finalPayload);
      const signedIn = await refreshSession();
      if (signedIn?.verification.worldId) {
        location.assign(destinationOf(signedIn.membership, this.props.next));
      } else this.show({ kind: "done", text: "Wallet connected. Now prove you are human." });
    } catch (error) {
      this.show({ kind: "error", text: describeError(error) });
    }
  };

  render() {
    const { session, progress = { kind: "idle" } } = this.state;
    const busy = progress.kind === "busy";
    // One stable root element: the first browser render replaces the server's markup in place.
    return (
      <div class="auth-control">
        {session
          ? (
            <p class="auth-done" data-testid="wallet-connected">
              Connected as{" "}
              <strong>{session.user.displayName ?? shortAddress(session.user.address)}</strong>
            </p>
          )
          : host() === "browser"
          ? this.props.outside
          : (
            <>
              <Button
                block
                onClick={this.connect}
                disabled={busy}
                aria-busy={busy}
                data-testid="connect-wallet"
              >
                Connect wallet
              </Button>
              <Status progress={progress} testId="connect-wallet-status" />
            </>
          )}
      </div>
    );
  }
}
