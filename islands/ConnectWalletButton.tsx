import { useState } from "preact/hooks";
import { Button } from "../components/Button.tsx";
import {
  api,
  describeError,
  destinationOf,
  host,
  loadMiniKit,
  miniAppUrl,
  refreshSession,
  shortAddress,
  useSession,
} from "../components/auth/client.ts";
import { type Progress, Status } from "../components/auth/Status.tsx";

/** Props of the ConnectWalletButton island. */
export interface ConnectWalletButtonProps {
  /** World developer portal app id, for MiniKit and the "open in World App" link. */
  appId: string;
  /** Development sign-in is offered on this page (outside World App we point to it). */
  devSignIn: boolean;
}

/**
 * Step 1, sign in with the wallet. Inside World App: a nonce from the server, MiniKit `walletAuth`,
 * then `POST /api/auth/wallet`. Outside World App: where sign-in happens instead.
 */
export default function ConnectWalletButton({ appId, devSignIn }: ConnectWalletButtonProps) {
  const session = useSession();
  const [progress, setProgress] = useState<Progress>({ kind: "idle" });

  async function connect() {
    setProgress({ kind: "busy", text: "Waiting for your wallet…" });
    try {
      const { MiniKit } = await loadMiniKit(appId);
      const { nonce } = await api<{ nonce: string }>("/api/auth/nonce");
      const { finalPayload } = await MiniKit.commandsAsync.walletAuth({
        nonce,
        statement: "Enter Aurum Circle, a private society of verified humans.",
        expirationTime: new Date(Date.now() + 600_000),
      });
      if (finalPayload.status !== "success") {
        return setProgress({
          kind: "error",
          text: finalPayload.error_code === "user_rejected"
            ? "You closed the request. Connect again when you are ready."
            : "Your wallet could not sign in. Please try again.",
        });
      }
      setProgress({ kind: "busy", text: "Checking your signature…" });
      await api("/api/auth/wallet", finalPayload);
      const signedIn = await refreshSession();
      if (signedIn?.verification.worldId) location.assign(destinationOf(signedIn.membership));
      else setProgress({ kind: "done", text: "Wallet connected. Now prove you are human." });
    } catch (error) {
      setProgress({ kind: "error", text: describeError(error) });
    }
  }

  if (session) {
    return (
      <p class="auth-done" data-testid="wallet-connected">
        Connected as{" "}
        <strong>{session.user.displayName ?? shortAddress(session.user.address)}</strong>
      </p>
    );
  }
  if (host() === "browser") {
    return devSignIn
      ? (
        <p class="auth-note" data-testid="outside-world-app">
          Wallet sign-in happens in World App. Here, choose a development persona below.
        </p>
      )
      : (
        <div class="auth-note" data-testid="outside-world-app">
          <p>Wallet sign-in happens inside World App, where your wallet lives.</p>
          <a
            class="btn btn--primary btn--block"
            href={miniAppUrl(appId)}
            data-testid="open-in-world-app"
          >
            Open in World App
          </a>
        </div>
      );
  }
  const busy = progress.kind === "busy";
  return (
    <div>
      <Button block onClick={connect} disabled={busy} aria-busy={busy} data-testid="connect-wallet">
        Connect wallet
      </Button>
      <Status progress={progress} testId="connect-wallet-status" />
    </div>
  );
}
