import {
  api,
  clearSession,
  describeError,
  SessionAware,
  shortAddress,
} from "../components/auth/client.ts";

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
      await api("/api/auth/logout", {});
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
              <span class="visually-hidden">Signed in as</span>
              <span class="session__name" title={session.user.address} data-testid="session-name">
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
