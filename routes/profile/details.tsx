import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { z } from "zod";
import { Shell } from "@/components/Shell.tsx";
import { DatingFields, type DatingValues } from "@/components/profile/dating_fields.tsx";
import { FieldError } from "@/components/profile/form.tsx";
import type { Errors } from "@/components/profile/types.ts";
import { safeNext } from "@/components/auth/next.ts";
import {
  getProfileByWallet,
  giveProfileDetails,
  InvalidProfileError,
  needsDetails,
} from "@/core/profiles/mod.ts";
import { readForm } from "@/server/http/request_body.ts";
import type { SignedInState } from "@/server/deps.ts";

interface DetailsData {
  values: DatingValues | null;
  errors: Errors;
  /** Where the member goes once the details are given (a same-site path). */
  next: string;
}

/** `?next=` (or the form's `next`): a same-site path, else the vault. */
const nextSchema = z.string().max(2000).nullish().transform((next) => safeNext(next) ?? "/vault");

/** What the member reads for a missing field (the API's words for anything else). */
const MISSING: Errors = {
  gender: "Choose the one that fits you.",
  interestedIn: "Choose who you want to meet.",
  region: "Choose your region.",
};

const goTo = (location: string) =>
  new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });

async function ownProfileOrStart(ctx: FreshContext<SignedInState, DetailsData>) {
  return await getProfileByWallet(ctx.state.deps, ctx.state.member.wallet);
}

export const handler: Handlers<DetailsData, SignedInState> = {
  async GET(_req, ctx) {
    const next = nextSchema.parse(ctx.url.searchParams.get("next")?.slice(0, 2000));
    const profile = await ownProfileOrStart(ctx);
    if (!profile) return goTo("/onboarding");
    if (!needsDetails(profile)) return goTo(next);
    return ctx.render({ values: profile, errors: {}, next });
  },
  /** The form (works without JavaScript): saved, then on to `next`; else the errors by field. */
  async POST(req, ctx) {
    const form = await readForm(req);
    const next = nextSchema.parse(String(form.get("next") ?? "").slice(0, 2000));
    const profile = await ownProfileOrStart(ctx);
    if (!profile) return goTo("/onboarding");
    const text = (name: string) => String(form.get(name) ?? "");
    const input = {
      ...(form.has("gender") ? { gender: text("gender") } : {}),
      interestedIn: form.getAll("interestedIn").map(String),
      city: text("city"),
      ...(text("region") ? { region: text("region") } : {}),
    };
    try {
      await giveProfileDetails(ctx.state.deps, {
        profileId: profile.id,
        wallet: ctx.state.member.wallet,
        input,
      });
    } catch (error) {
      if (!(error instanceof InvalidProfileError)) throw error;
      const errors: Errors = {};
      for (const { field, message } of error.details) {
        const name = field.split(".")[0];
        errors[name] ??= MISSING[name] && /required|at least one/.test(message)
          ? MISSING[name]
          : `This ${name === "interestedIn" ? "choice" : name} ${message}.`;
      }
      const values = {
        gender: input.gender ?? null,
        interestedIn: input.interestedIn,
        city: input.city,
        region: input.region ?? null,
      };
      return ctx.render({ values, errors, next }, { status: 400 });
    }
    return goTo(next);
  },
};

/** "A few more details": what discovery needs, asked once of profiles made before it was. */
export default function ProfileDetails({ data }: PageProps<DetailsData>) {
  const { values, errors, next } = data;
  const failed = Object.keys(errors).length > 0;
  return (
    <Shell>
      <Head>
        <title>A few more details · Aurum Circle</title>
      </Head>
      <section class="page" aria-labelledby="details-title">
        <p class="eyebrow">Your profile</p>
        <h1 id="details-title" class="display page__title">A few more details</h1>
        <p class="page__lede">
          The circle now shows each member only to people they want to meet, and who want to meet
          them. Until you answer, other members don't see you in the vault.
        </p>
        <form
          class="setup details"
          method="post"
          action="/profile/details"
          data-testid="details-form"
        >
          <input type="hidden" name="next" value={next} />
          <div class="setup__step">
            <DatingFields values={values} errors={errors} />
          </div>
          {failed
            ? (
              <p class="setup__status" role="alert" data-testid="details-status">
                Check the highlighted fields.
              </p>
            )
            : null}
          <FieldError name="form" errors={errors} />
          <div class="setup__actions">
            <button type="submit" class="btn btn--primary btn--block" data-testid="details-save">
              Save and continue
            </button>
          </div>
        </form>
      </section>
    </Shell>
  );
}
