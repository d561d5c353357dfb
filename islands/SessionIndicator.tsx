import { useState } from "preact/hooks";
import {
  api,
  clearSession,
  describeError,
  shortAddress,
  useSession,
} from "../components/auth/client.ts";

/** Props of the SessionIndicator island: none, it reads `GET /api/auth/session`. */
export type SessionIndicatorProps = Record<never, never>;

/**
 * For the Shell's header: the signed-in member (name or short address, a World ID badge) and a
 * sign-out control; a "Sign in" link when signed out.
 */
export default function SessionIndicator(_props: SessionIndicatorProps) {
  const session = useSession();
  const [note, setNote] = useState("");

  async function signOut() {
    setNote("Signing out…");
    try {
      await api("/api/auth/logout", {});
      clearSession();
      location.assign("/");
    } catch (error) {
      setNote(describeError(error));
    }
  }

  const state = session ? "signed-in" : session === null ? "signed-out" : "loading";
  const level = session?.verification.worldId?.level;
  return (
    <div class="session" data-testid="session-indicator" data-state={state}>
      {session
        ? (
          <>
            <span class="session__name" title={session.user.address} data-testid="session-name">
              <span class="visually-hidden">Signed in as</span>
              {session.user.displayName ?? shortAddress(session.user.address)}
            </span>
            {level
              ? (
                <span
                  class="session__badge"
                  title={`World ID: ${level}`}
                  data-testid="session-worldid"
                >
                  <span class="visually-hidden">Verified human</span>
                </span>
              )
              : null}
            <button type="button" class="session__signout" onClick={signOut} data-testid="signout">
              Sign out
            </button>
          </>
        )
        : session === null
        ? <a class="session__signin" href="/signin" data-testid="session-signin">Sign in</a>
        : <span class="session__pending skeleton" />}
      <span class="visually-hidden" role="status">{note}</span>
    </div>
  );
}
