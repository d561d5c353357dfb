import NetworkIndicator from "@/islands/NetworkIndicator.tsx";
import SessionIndicator from "@/islands/SessionIndicator.tsx";
import type { Member } from "@/core/members.ts";
import { SessionStatus } from "./SessionStatus.tsx";

/** Props of {@link HeaderStatus}. */
export interface HeaderStatusProps {
  /**
   * The signed-in member on pages only members reach: the session control is then rendered on
   * the server. Without it (sign-in, gate), the island follows the session as it changes.
   */
  member?: Member;
}

/** The Shell's `headerActions` for signed-in areas: the online state, then the member. */
export function HeaderStatus({ member }: HeaderStatusProps) {
  return (
    <>
      <NetworkIndicator />
      {member ? <SessionStatus member={member} /> : <SessionIndicator />}
    </>
  );
}
