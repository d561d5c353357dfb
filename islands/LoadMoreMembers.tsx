import { Component, type JSX } from "preact";
import { callApi } from "@/client/api.ts";
import type { MemberCardsProps } from "@/components/profile/MemberCards.tsx";
import type { PublicProfileView } from "@/components/profile/types.ts";
import type { SignalState } from "./SignalButton.tsx";

/** Props of the LoadMoreMembers island. */
export interface LoadMoreMembersProps {
  /** The cursor after the server-rendered page ("" when it was the last). */
  cursor: string;
  /** The vault's filters as a query string (`ageMin=20&tag=foodie`), passed on to the API. */
  query: string;
  /** Page size. */
  limit: number;
}

interface LoadMoreState {
  cursor: string;
  members: PublicProfileView[];
  /** The viewer's signal state per member id, from the API. */
  signals: Record<string, SignalState>;
  busy?: boolean;
  error?: string;
  announce?: string;
  /** Renders the new cards; loaded with the first extra page (a chunk of its own). */
  Cards?: (props: MemberCardsProps) => JSX.Element;
}

/**
 * "Show more" under the vault's first page: fetches the next cursor page of `GET /api/profiles`
 * with the same filters, appends the cards and moves focus to the first new one.
 */
export default class LoadMoreMembers extends Component<LoadMoreMembersProps, LoadMoreState> {
  constructor(props: LoadMoreMembersProps) {
    super(props);
    this.state = { cursor: props.cursor, members: [], signals: {} };
  }

  load = async () => {
    const { query, limit } = this.props;
    const before = this.state.members.length;
    this.setState({ busy: true, error: "" });
    try {
      const params = new URLSearchParams(query);
      params.set("cursor", this.state.cursor);
      params.set("limit", String(limit));
      const [page, { MemberCards }] = await Promise.all([
        callApi<{
          values: PublicProfileView[];
          cursor: string;
          signals: Record<string, SignalState>;
        }>(`/api/profiles?${params}`),
        import("@/components/profile/MemberCards.tsx"),
      ]);
      const n = page.values.length;
      this.setState({
        members: [...this.state.members, ...page.values],
        signals: { ...this.state.signals, ...page.signals },
        cursor: page.cursor,
        busy: false,
        Cards: MemberCards,
        announce: n ? `${n} more member${n === 1 ? "" : "s"} shown.` : "No more members.",
      }, () => {
        document.querySelectorAll<HTMLElement>(".more .card__link")[before]?.focus();
      });
    } catch {
      this.setState({ busy: false, error: "The vault did not open further. Please try again." });
    }
  };

  render() {
    const { cursor, members, signals, busy, error, announce, Cards } = this.state;
    return (
      <div class="more">
        {Cards ? <Cards members={members} signals={signals} class="more__grid" /> : null}
        <p class="visually-hidden" role="status">{announce}</p>
        {cursor
          ? (
            <button
              type="button"
              class="btn btn--ghost btn--block"
              onClick={this.load}
              disabled={busy}
              aria-busy={busy}
              data-testid="load-more"
            >
              {busy ? "Opening the vault…" : "Show more members"}
            </button>
          )
          : members.length
          ? <p class="more__end" data-testid="vault-end">You have seen everyone, for now.</p>
          : null}
        {error ? <p class="field__error" role="alert">{error}</p> : null}
      </div>
    );
  }
}
