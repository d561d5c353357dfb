import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "../../components/Shell.tsx";
import { BadgeDisplay } from "../../components/BadgeDisplay.tsx";
import { HeaderStatus } from "../../components/auth/HeaderStatus.tsx";
import { chainName } from "../../components/auth/settings.ts";
import { latestBirthDate, ownProfile, vocabulary } from "../../components/profile/server.ts";
import type { SignedInState } from "../../server/deps.ts";
import ProfileEditor, { type ProfileEditorProps } from "../../islands/ProfileEditor.tsx";

interface EditData extends ProfileEditorProps {
  chainId: number;
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
      chainId: deps.config.chain.id,
    });
  },
};

/** Editing one's own profile. */
export default function EditProfile({ data }: PageProps<EditData>) {
  const { chainId, ...editor } = data;
  return (
    <Shell headerActions={<HeaderStatus chainId={chainId} chainName={chainName(chainId)} />}>
      <Head>
        <title>Edit profile · Aurum Circle</title>
      </Head>
      <section class="page" aria-labelledby="edit-title">
        <p class="eyebrow">Your profile</p>
        <h1 id="edit-title" class="display page__title">Edit your profile</h1>
        <BadgeDisplay badges={editor.profile.badges} class="page__badges" />
        <ProfileEditor {...editor} />
      </section>
    </Shell>
  );
}
