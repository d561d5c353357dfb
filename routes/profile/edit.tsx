import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { BadgeDisplay } from "@/components/BadgeDisplay.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { AboutFields, BasicsFields, PreferenceFields } from "@/components/profile/form.tsx";
import { DatingFields } from "@/components/profile/dating_fields.tsx";
import { ownProfile } from "@/server/profiles/profile_deps.ts";
import { latestBirthDate, vocabulary } from "@/server/profiles/profile_form.ts";
import type { OwnerProfileView, Vocabulary } from "@/components/profile/types.ts";
import type { SignedInState } from "@/server/deps.ts";
import ProfileEditor from "@/islands/ProfileEditor.tsx";
import { YourData } from "@/components/account/YourData.tsx";
import { deleteAccount, deleteConfirmationSchema } from "@/core/account/mod.ts";
import { readForm } from "@/server/http/request_body.ts";
import { accountDeps, GOODBYE_LOCATION, signedOut } from "@/server/account/account_http.ts";

interface EditData {
  vocab: Vocabulary;
  profile: OwnerProfileView;
  latestBirthDate: string;
  /** Why the deletion form was refused, shown beside it. */
  deleteError: string | null;
}

async function renderEdit(
  ctx: FreshContext<SignedInState, EditData>,
  deleteError: string | null = null,
  status = 200,
) {
  const { deps } = ctx.state;
  const profile = await ownProfile(ctx.state);
  if (!profile) return new Response(null, { status: 303, headers: { location: "/onboarding" } });
  return ctx.render({
    vocab: vocabulary(),
    profile,
    latestBirthDate: latestBirthDate(deps.clock.now()),
    deleteError,
  }, { status });
}

export const handler: Handlers<EditData, SignedInState> = {
  GET(_req, ctx) {
    return renderEdit(ctx);
  },
  /** The "delete my account" form (works without JavaScript): typed confirmation, then goodbye. */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const parsed = deleteConfirmationSchema.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) return renderEdit(ctx, parsed.error.issues[0].message, 400);
    await deleteAccount(accountDeps(deps), member.wallet);
    const goodbye = new Response(null, { status: 303, headers: { location: GOODBYE_LOCATION } });
    return signedOut(goodbye, ctx.url);
  },
};

/** Editing one's own profile. */
export default function EditProfile({ data }: PageProps<EditData>) {
  const { vocab, profile } = data;
  const fields = { vocab, profile, errors: {} };
  return (
    // No header islands (the tab bar leads back): the form keeps the JS budget.
    <Shell>
      <Head>
        <title>Edit profile · Aurum Circle</title>
      </Head>
      <section class="page" aria-labelledby="edit-title">
        <p class="eyebrow">Your profile</p>
        <h1 id="edit-title" class="display page__title">Edit your profile</h1>
        <BadgeDisplay badges={profile.badges} class="page__badges" />
        <ProfileEditor
          profileId={profile.id}
          photos={profile.photos}
          maxPhotos={vocab.maxPhotos}
          minTags={vocab.minTags}
          basics={
            <>
              <BasicsFields {...fields} latestBirthDate={data.latestBirthDate} />
              <DatingFields values={profile} errors={{}} />
            </>
          }
          about={<AboutFields {...fields} />}
          preferences={<PreferenceFields {...fields} />}
        />
        <ButtonLink href="/profile/score" variant="ghost" block data-testid="to-score">
          Your photo score (private)
        </ButtonLink>
        <YourData error={data.deleteError} />
      </section>
    </Shell>
  );
}
