import type { Member } from "../../core/members.ts";
import { sessionView } from "../../server/session_view.ts";
import { shortAddress } from "./client.ts";

/** Props of {@link SessionStatus}. */
export interface SessionStatusProps {
  member: Member;
}

/**
 * The header's session control for pages only members reach: the same look as the
 * SessionIndicator island, rendered on the server (the session is known there) with a plain
 * sign-out form, so these pages ship no JavaScript for it.
 */
export function SessionStatus({ member }: SessionStatusProps) {
  const session = sessionView(member);
  const level = session.verification.worldId?.level;
  return (
    <div class="session" data-testid="session-indicator" data-state="signed-in">
      <span class="visually-hidden">Signed in as</span>
      <span class="session__name" title={session.user.address} data-testid="session-name">
        {session.user.displayName ?? shortAddress(session.user.address)}
      </span>
      {level
        ? (
          <span class="session__badge" title={`World ID: ${level}`} data-testid="session-worldid">
            <span class="visually-hidden">Verified human</span>
          </span>
        )
        : null}
      <form method="post" action="/api/auth/logout" class="session__form">
        <button type="submit" class="session__signout" data-testid="signout">Sign out</button>
      </form>
    </div>
  );
}
