import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { MemberCards } from "@/components/profile/MemberCards.tsx";
import { BadgeDisplay } from "@/components/BadgeDisplay.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { EmptyState } from "@/components/EmptyState.tsx";
import { HorizontalScroll } from "@/components/HorizontalScroll.tsx";
import { SessionStatus } from "@/components/auth/SessionStatus.tsx";
import { tagLabel } from "@/components/profile/cards.ts";
import { photoUrl } from "@/components/profile/urls.ts";
import { FieldError, Input } from "@/components/profile/form.tsx";
import { ownProfile, profileDeps } from "@/server/profiles/profile_deps.ts";
import type { Errors, OwnerProfileView, PublicProfileView } from "@/components/profile/types.ts";
import {
  discoveryFiltersSchema,
  FILTER_PARAM_LISTS,
  FILTER_PARAMS,
  type FilterParam,
  filterParamOf,
  VIBE_TAGS,
} from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import ProfileFilters from "@/islands/ProfileFilters.tsx";
import LoadMoreMembers from "@/islands/LoadMoreMembers.tsx";
import type { SignalState } from "@/islands/SignalButton.tsx";
import { signalStates } from "@/server/social/signal_states.ts";
import { listWarnings, WARNING_SHOWN_MS } from "@/core/social/mod.ts";
import { browseProfiles, type VaultPicks as Picks, vaultPicks } from "@/core/discovery/mod.ts";
import { VaultPicks } from "@/components/discovery/VaultPicks.tsx";
import { recommendDeps } from "@/server/discovery/discovery_deps.ts";

/** The filter values in the vault's query string (empty string: not set). */
type FilterValues = Record<FilterParam, string>;

/** Cards per page, on the server and for "show more". */
const PAGE_SIZE = 12;

interface VaultData {
  own: OwnerProfileView;
  members: PublicProfileView[];
  /** The member's signal state per card (SignalButton). */
  signals: Record<string, SignalState>;
  cursor: string;
  values: FilterValues;
  /** The filters as the API's query string. */
  query: string;
  errors: Errors;
  /** Notes of the admins' recent warnings to this member, newest first. */
  warnings: string[];
  /** Today's circle and Recommended (left out while filters are set). */
  picks: Picks | null;
}

const LIST_PARAMS = [...FILTER_PARAM_LISTS.repeated, ...FILTER_PARAM_LISTS.commaSeparated];

/**
 * The vault's query string as filter values, the API's query string, and either the discovery
 * filters or the errors by filter input.
 */
function readFilters(url: URL, now: number) {
  const values = Object.fromEntries(
    FILTER_PARAMS.map((key) => [key, (url.searchParams.get(key) ?? "").trim()]),
  ) as FilterValues;
  const set = FILTER_PARAMS.flatMap((key): [string, string][] =>
    values[key] ? [[key, values[key]]] : []
  );
  const query = new URLSearchParams(set).toString();
  const parsed = discoveryFiltersSchema(now).safeParse(
    Object.fromEntries(
      set.map(([key, value]) => [key, LIST_PARAMS.includes(key) ? [value] : value]),
    ),
  );
  if (parsed.success) return { values, query, filters: parsed.data, errors: {} };
  // The first problem, on the input it concerns.
  const [issue] = parsed.error.issues;
  const errors: Errors = { [filterParamOf(issue.path) ?? "filters"]: issue.message };
  return { values, query, filters: null, errors };
}

export const handler: Handlers<VaultData, SignedInState> = {
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    const own = await ownProfile(ctx.state);
    // No profile yet, or no main photo (one prominent face): onboarding resumes where it stopped.
    if (!own?.hasMainPhoto) {
      return new Response(null, { status: 303, headers: { location: "/onboarding" } });
    }
    const { values, query, filters, errors } = readFilters(ctx.url, deps.clock.now());
    const page = filters
      ? await browseProfiles(profileDeps(deps), {
        viewer: member.wallet,
        limit: PAGE_SIZE,
        filters,
      })
      : { values: [], cursor: "" };
    const warnings = await listWarnings(deps.kv, member.wallet, {
      since: deps.clock.now() - WARNING_SHOWN_MS,
    });
    const picks = query ? null : await vaultPicks(recommendDeps(deps), {
      viewer: member.wallet,
      own: ctx.state.ownProfileRecord,
    });
    const shown = [...page.values, ...(picks ? [...picks.today, ...picks.recommended] : [])];
    return ctx.render({
      warnings: warnings.map((warning) => warning.note),
      own,
      picks,
      members: page.values,
      signals: await signalStates(deps, member.wallet, shown),
      cursor: page.cursor,
      values,
      query,
      errors,
    });
  },
};

/** The filter inputs, rendered here and handed to the ProfileFilters island as a slot. */
function FilterFields({ values, errors }: { values: FilterValues; errors: Errors }) {
  const number = { type: "number", inputMode: "numeric", min: 18, max: 100 } as const;
  return (
    <>
      <div class="field__pair">
        <Input
          {...number}
          name="ageMin"
          label="Age from"
          defaultValue={values.ageMin}
          errors={errors}
          data-testid="filter-age-min"
        />
        <Input
          {...number}
          name="ageMax"
          label="to"
          defaultValue={values.ageMax}
          errors={errors}
          data-testid="filter-age-max"
        />
      </div>
      <Input
        name="university"
        label="University"
        defaultValue={values.university}
        errors={errors}
        data-testid="filter-university"
      />
      <Input
        name="year"
        label="Graduation year"
        inputMode="numeric"
        maxLength={4}
        defaultValue={values.year}
        errors={errors}
        data-testid="filter-year"
      />
      <div class="field">
        <label class="field__label" for="tag">Vibe</label>
        <select
          id="tag"
          name="tag"
          class="field__input"
          aria-invalid={errors.tag ? "true" : undefined}
          aria-describedby="tag-error"
          data-testid="filter-tag"
        >
          <option value="">Any vibe</option>
          {VIBE_TAGS.map((id) => (
            <option key={id} value={id} selected={values.tag === id}>{tagLabel(id)}</option>
          ))}
        </select>
        <FieldError name="tag" errors={errors} />
      </div>
      <FieldError name="filters" errors={errors} />
    </>
  );
}

/** The vault: the member's own card, vibe shortcuts, filters and the other members' cards. */
export default function Vault({ data, state }: PageProps<VaultData, SignedInState>) {
  const { own, members, signals, cursor, values, query, errors, warnings, picks } = data;
  const filtered = Object.values(values).some(Boolean);
  const cover = own.photos[0];
  const vibes = [...own.vibeTags, ...VIBE_TAGS.filter((tag) => !own.vibeTags.includes(tag))];
  return (
    // The member and sign-out only: the cards' signal buttons need the JS.
    <Shell headerActions={<SessionStatus member={state.member} />}>
      <Head>
        <title>The vault · Aurum Circle</title>
      </Head>
      <section class="page vault" aria-labelledby="vault-title">
        <p class="eyebrow">Inside the circle</p>
        <h1 id="vault-title" class="display page__title" data-testid="vault-title">The vault</h1>
        {warnings.map((note, i) => (
          <p key={i} class="safety__notice" role="alert" data-testid="member-warning">
            A warning from the circle's admins: {note}
          </p>
        ))}

        <section class="vault__me" aria-labelledby="me-title" data-testid="vault-me">
          <h2 id="me-title" class="visually-hidden">Your card</h2>
          <div class="me" data-testid="own-card">
            <a class="me__link" href={`/members/${own.id}`}>
              <span class="me__media">
                {cover
                  ? (
                    <img
                      class="card__photo"
                      src={photoUrl(own.id, cover.id)}
                      alt=""
                      width={56}
                      height={56}
                    />
                  )
                  : <span class="me__monogram">{own.displayName.charAt(0).toUpperCase()}</span>}
              </span>
              <span class="me__text">
                <span class="me__name">{own.displayName}</span>
                <span class="me__hint">Your card, as members see it</span>
              </span>
            </a>
            <BadgeDisplay badges={own.badges} compact class="me__badges" />
            <ButtonLink
              href="/profile/edit"
              variant="ghost"
              class="me__edit"
              data-testid="edit-profile"
            >
              Edit
            </ButtonLink>
          </div>
          <p class="vault__me-note">
            Your photo stays veiled to others until you both send a signal.
          </p>
        </section>

        {picks ? <VaultPicks {...picks} signals={signals} /> : null}

        <HorizontalScroll label="Browse by vibe" class="vault__vibes" testId="vibe-row">
          {vibes.map((tag) => (
            <li key={tag} class="hscroll__item">
              <a
                class={values.tag === tag ? "vibe-link is-current" : "vibe-link"}
                href={`/vault?tag=${tag}`}
                aria-current={values.tag === tag ? "page" : undefined}
              >
                {tagLabel(tag)}
              </a>
            </li>
          ))}
        </HorizontalScroll>

        <ProfileFilters
          active={Object.values(values).filter(Boolean).length}
          open={Object.keys(errors).length > 0}
          fields={<FilterFields values={values} errors={errors} />}
        />

        <h2 id="members-title" class="section-label">
          {filtered ? "Members matching your filters" : "Members"}
        </h2>
        {members.length
          ? (
            <MemberCards
              members={members}
              signals={signals}
              eager={2}
              labelledBy="members-title"
              testId="vault-grid"
            />
          )
          : filtered
          ? (
            <EmptyState
              title="No one matches"
              action={{ href: "/vault", label: "Clear the filters" }}
              testId="vault-empty"
            >
              Widen the ages or choose another vibe.
            </EmptyState>
          )
          : (
            <EmptyState title="The vault is quiet" testId="vault-empty">
              No other members yet. Those you vouch for will appear here.
            </EmptyState>
          )}
        <LoadMoreMembers cursor={cursor} query={query} limit={PAGE_SIZE} />
      </section>
    </Shell>
  );
}
