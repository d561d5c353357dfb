import type { ComponentChildren } from "preact";
import { Wordmark } from "./Wordmark.tsx";
import { MemberNavContext, TabBar } from "./TabBar.tsx";
import { SignedInMemberContext } from "./auth/SignedInMember.ts";
import { SessionStatus } from "./auth/SessionStatus.tsx";

/** Props of {@link Shell}. */
export interface ShellProps {
  children: ComponentChildren;
  /**
   * Content on the right of the header, e.g. a session indicator; by default the signed-in member
   * (their short wallet and a sign-out button), nothing when signed out.
   */
  headerActions?: ComponentChildren;
  /** A modifier for `<main>`, e.g. `shell__main--center` for short error pages. */
  mainClass?: string;
  /** A way back for inner pages, shown above the content: e.g. the event list from an event. */
  back?: { href: string; label: string };
}

/**
 * The page frame: skip link, header with the wordmark, an optional way back, main landmark and
 * footer; for admitted members also the bottom tab bar (and the wordmark leads to the vault).
 */
export function Shell({ children, headerActions, mainClass, back }: ShellProps) {
  return (
    <SignedInMemberContext.Consumer>
      {(member) => (
        <ShellFrame
          headerActions={headerActions ?? (member ? <SessionStatus member={member} /> : null)}
          mainClass={mainClass}
          back={back}
        >
          {children}
        </ShellFrame>
      )}
    </SignedInMemberContext.Consumer>
  );
}

function ShellFrame({ children, headerActions, mainClass, back }: ShellProps) {
  return (
    <MemberNavContext.Consumer>
      {(nav) => (
        <div class={nav ? "shell shell--tabs" : "shell"}>
          <a class="skip-link" href="#main">Skip to content</a>
          <header class="shell__header">
            <Wordmark href={nav ? "/vault" : "/"} />
            {headerActions ? <div class="shell__actions">{headerActions}</div> : null}
          </header>
          <main
            id="main"
            class={mainClass ? `shell__main ${mainClass}` : "shell__main"}
            tabIndex={-1}
          >
            {back
              ? (
                <a class="back-link" href={back.href} data-testid="back-link">
                  <span aria-hidden="true">←</span> {back.label}
                </a>
              )
              : null}
            {children}
          </main>
          <footer class="shell__footer">
            <p class="shell__motto">Verified humans · By invitation</p>
            <p class="shell__fine">Aurum Circle</p>
          </footer>
          {nav ? <TabBar {...nav} /> : null}
        </div>
      )}
    </MemberNavContext.Consumer>
  );
}
