import { createContext } from "preact";
import { type TabId, TABS, UNREAD_WORDS } from "@/components/glossary.ts";

/** What the page frame needs to show the member's navigation. */
export interface MemberNav {
  /** The tab of the current page (null: none is marked). */
  current: TabId | null;
  /** Matches made since the member last opened their matches. */
  unseenMatches: number;
  /** Messages from matches the member has not read. */
  unreadMessages: number;
}

/**
 * The member's navigation for the page being rendered, provided by `_app` for admitted members
 * (null elsewhere and on the sign-in and gate pages, which keep their own chrome).
 */
export const MemberNavContext = createContext<MemberNav | null>(null);

/**
 * The bottom tab bar: plain links, the current one marked, and on Matches the count of new matches
 * and unread messages (the Matches link carries both and the count is there even at zero, hidden,
 * so the match island can keep it live).
 */
export function TabBar({ current, unseenMatches, unreadMessages }: MemberNav) {
  const unread = unseenMatches + unreadMessages;
  return (
    <nav class="tabbar" aria-label="Main" data-testid="tabbar">
      <ul class="tabbar__list">
        {TABS.map((tab) => (
          <li key={tab.id} class="tabbar__item">
            <a
              class="tabbar__link"
              href={tab.href}
              aria-current={tab.id === current ? "page" : undefined}
              data-testid={`tab-${tab.id}`}
              data-matches={tab.id === "matches" ? unseenMatches : undefined}
              data-messages={tab.id === "matches" ? unreadMessages : undefined}
            >
              <span class={`tabbar__icon tabbar__icon--${tab.id}`} aria-hidden="true" />
              <span class="tabbar__label">{tab.label}</span>
              {tab.id === "matches"
                ? (
                  <span class="tabbar__count" data-testid="unseen-matches" hidden={unread === 0}>
                    <span data-count>{unread > 9 ? "9+" : unread}</span>
                    <span class="visually-hidden">{UNREAD_WORDS}</span>
                  </span>
                )
                : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
