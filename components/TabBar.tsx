import { createContext } from "preact";
import { type TabId, TABS } from "@/components/glossary.ts";

/** What the page frame needs to show the member's navigation. */
export interface MemberNav {
  /** The tab of the current page (null: none is marked). */
  current: TabId | null;
  /** Matches made since the member last opened their matches. */
  unseenMatches: number;
}

/**
 * The member's navigation for the page being rendered, provided by `_app` for admitted members
 * (null elsewhere and on the sign-in and gate pages, which keep their own chrome).
 */
export const MemberNavContext = createContext<MemberNav | null>(null);

/** The bottom tab bar: plain links, the current one marked, the new-match count on Matches. */
export function TabBar({ current, unseenMatches }: MemberNav) {
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
            >
              <span class={`tabbar__icon tabbar__icon--${tab.id}`} aria-hidden="true" />
              <span class="tabbar__label">{tab.label}</span>
              {tab.id === "matches" && unseenMatches > 0
                ? (
                  <span class="tabbar__count" data-testid="unseen-matches">
                    {unseenMatches > 9 ? "9+" : unseenMatches}
                    <span class="visually-hidden">
                      {unseenMatches === 1 ? " new match" : " new matches"}
                    </span>
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
