import { Component } from "preact";
import { Button } from "../components/Button.tsx";
import { ProfileCard } from "../components/ProfileCard.tsx";
import { request, sentence } from "../components/profile/api.ts";
import { cardOf } from "../components/profile/cards.ts";
import type { PublicProfileView } from "../components/profile/types.ts";

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
  busy?: boolean;
  error?: string;
  announce?: string;
}

/**
 * "Show more" under the vault's first page: fetches the next cursor page of `GET /api/profiles`
 * with the same filters, appends the cards and moves focus to the first new one.
 */
export default class LoadMoreMembers extends Component<LoadMoreMembersProps, LoadMoreState> {
  constructor(props: LoadMoreMembersProps) {
    super(props);
    this.state = { cursor: props.cursor, members: [] };
  }

  load = async () => {
    const { query, limit } = this.props;
    const before = this.state.members.length;
    this.setState({ busy: true, error: "" });
    try {
      const params = new URLSearchParams(query);
      params.set("cursor", this.state.cursor);
      params.set("limit", String(limit));
      const page = await request<{ values: PublicProfileView[]; cursor: string }>(
        "GET",
        `/api/profiles?${params}`,
      );
      const n = page.values.length;
      this.setState({
        members: [...this.state.members, ...page.values],
        cursor: page.cursor,
        busy: false,
        announce: n ? `${n} more member${n === 1 ? "" : "s"} shown.` : "No more members.",
      }, () => {
        document.querySelectorAll<HTMLElement>(".more .card__link")[before]?.focus();
      });
    } catch (error) {
      this.setState({ busy: false, error: sentence(error) });
    }
  };

  render() {
    const { cursor, members, busy, error, announce } = this.state;
    return (
      <div class="more">
        {members.length
          ? (
            <ul class="card-grid more__grid">
              {members.map((view) => (
                <li key={view.id} data-testid="vault-card">
                  <ProfileCard {...cardOf(view)} href={`/members/${view.id}`} />
                </li>
              ))}
            </ul>
          )
          : null}
        <p class="visually-hidden" role="status">{announce}</p>
        {cursor
          ? (
            <Button
              variant="ghost"
              block
              onClick={this.load}
              disabled={busy}
              aria-busy={busy}
              data-testid="load-more"
            >
              {busy ? "Opening the vault…" : "Show more members"}
            </Button>
          )
          : members.length
          ? <p class="more__end" data-testid="vault-end">You have seen everyone, for now.</p>
          : null}
        {error ? <p class="field__error" role="alert">{error}</p> : null}
      </div>
    );
  }
}
