import { callApi, describeError } from "@/client/api.ts";
import { clearSession, SessionAware } from "@/client/sign_in.ts";
import { SessionIdentity } from "@/components/auth/SessionIdentity.tsx";

/** Props of the SessionIndicator island: none, it reads `GET /api/auth/session`. */
export type SessionIndicatorProps = Record<never, never>;

/**
 * For the Shell's header: the signed-in member (name or short address, a World ID badge) and a
 * sign-out control; a "Sign in" link when signed out.
 */
export default class SessionIndicator extends SessionAware<SessionIndicatorProps> {
  signOut = async () => {
    this.show({ kind: "busy", text: "Signing out…" });
    try {
      await callApi("/api/auth/logout", {});
      clearSession();
      location.assign("/");
    } catch (error) {
      this.show({ kind: "error", text: describeError(error) });
    }
  };

  render() {
    const { session, progress } = this.state;
    const level = session?.verification.worldId?.level;
    return (
      <div
        class="session"
        data-testid="session-indicator"
        data-state={session ? "signed-in" : session === null ? "signed-out" : "loading"}
      >
        {session
          ? (
            <>
              <SessionIdentity
                address={session.user.address}
                displayName={session.user.displayName}
                worldIdLevel={level}
              />
              <button
                type="button"
                class="session__signout"
                onClick={this.signOut}
                data-testid="signout"
              >
                Sign out
              </button>
            </>
          )
          : session === null
          ? <a class="session__signin" href="/signin" data-testid="session-signin">Sign in</a>
          : <span class="session__pending skeleton" />}
        <span class="visually-hidden" role="status">
          {progress && "text" in progress ? progress.text : null}
        </span>
      </div>
    );
  }
}
