import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { BadgeDisplay } from "@/components/BadgeDisplay.tsx";
import { AboutFields, BasicsFields, PreferenceFields } from "@/components/profile/form.tsx";
import { ownProfile } from "@/server/profiles/profile_deps.ts";
import { latestBirthDate, vocabulary } from "@/server/profiles/profile_form.ts";
import type { OwnerProfileView, Vocabulary } from "@/components/profile/types.ts";
import type { SignedInState } from "@/server/deps.ts";
import ProfileEditor from "@/islands/ProfileEditor.tsx";

interface EditData {
  vocab: Vocabulary;
  profile: OwnerProfileView;
  latestBirthDate: string;
}

export const handler: Handlers<EditData, SignedInState> = {
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    const profile = await ownProfile(deps, member);
    if (!profile) return new Response(null, { status: 303, headers: { location: "/onboarding" } });
    return ctx.render({
      vocab: vocabulary(),
      profile,
      latestBirthDate: latestBirthDate(deps.clock.now()),
    });
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
          basics={<BasicsFields {...fields} latestBirthDate={data.latestBirthDate} />}
          about={<AboutFields {...fields} />}
          preferences={<PreferenceFields {...fields} />}
        />
      </section>
    </Shell>
  );
}
