import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { AboutFields, BasicsFields, PreferenceFields } from "@/components/profile/form.tsx";
import { DatingFields } from "@/components/profile/dating_fields.tsx";
import { ownProfile } from "@/server/profiles/profile_deps.ts";
import { latestBirthDate, vocabulary } from "@/server/profiles/profile_form.ts";
import type { OwnerProfileView, Vocabulary } from "@/components/profile/types.ts";
import type { SignedInState } from "@/server/deps.ts";
import ProfileSetup from "@/islands/ProfileSetup.tsx";

interface OnboardingData {
  vocab: Vocabulary;
  profile: OwnerProfileView | null;
  latestBirthDate: string;
}

export const handler: Handlers<OnboardingData, SignedInState> = {
  async GET(_req, ctx) {
    const { deps } = ctx.state;
    const profile = await ownProfile(ctx.state);
    // Onboarding is over once the profile has a main photo (one prominent face); before that it
    // resumes at the photos.
    if (profile?.hasMainPhoto) {
      return new Response(null, { status: 303, headers: { location: "/vault" } });
    }
    return ctx.render({
      vocab: vocabulary(),
      profile,
      latestBirthDate: latestBirthDate(deps.clock.now()),
    });
  },
};

/** Onboarding: a new member composes their profile before the vault opens. */
export default function Onboarding({ data }: PageProps<OnboardingData>) {
  const { vocab, profile } = data;
  const fields = { vocab, profile, errors: {} };
  return (
    <Shell>
      <Head>
        <title>Your profile · Aurum Circle</title>
      </Head>
      <section class="page" aria-labelledby="onboarding-title">
        <p class="eyebrow">Before the vault opens</p>
        <h1 id="onboarding-title" class="display page__title">Compose your profile</h1>
        <p class="page__lede">
          Members see your name, age, city and vibe. Your photos stay veiled until a mutual signal.
        </p>
        <ProfileSetup
          profileId={profile?.id ?? null}
          photos={profile?.photos ?? []}
          maxPhotos={vocab.maxPhotos}
          minTags={vocab.minTags}
          start={profile ? 3 : 1}
          basics={
            <>
              <BasicsFields {...fields} latestBirthDate={data.latestBirthDate} />
              <DatingFields values={profile} errors={{}} />
            </>
          }
          about={<AboutFields {...fields} />}
          preferences={<PreferenceFields {...fields} />}
          done={
            <p class="setup__done">
              Your profile is sealed. Members see a veiled photo of you until you signal each other.
            </p>
          }
        />
      </section>
    </Shell>
  );
}
