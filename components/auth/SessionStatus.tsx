import type { Member } from "@/core/members.ts";
import { sessionView } from "@/server/auth/session_view.ts";
import { SessionIdentity } from "./SessionIdentity.tsx";

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
  return (
    <div class="session" data-testid="session-indicator" data-state="signed-in">
      <SessionIdentity
        address={session.user.address}
        displayName={session.user.displayName}
        worldIdLevel={session.verification.worldId?.level}
      />
      <form method="post" action="/api/auth/logout" class="session__form">
        <button type="submit" class="session__signout" data-testid="signout">Sign out</button>
      </form>
    </div>
  );
}
