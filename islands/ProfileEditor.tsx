import { Component, type ComponentChildren, createRef } from "preact";
import { Button, ButtonLink } from "../components/Button.tsx";
import { request, RequestError, sentence } from "../components/profile/api.ts";
import {
  AboutFields,
  BasicsFields,
  checkAbout,
  checkBasics,
  focusInvalid,
  placeErrors,
  PreferenceFields,
  readAbout,
  readBasics,
  readPreferences,
  toggled,
} from "../components/profile/form.tsx";
import type { Errors, OwnerProfileView, Vocabulary } from "../components/profile/types.ts";
import ImageUpload from "./ImageUpload.tsx";

/** Props of the ProfileEditor island. */
export interface ProfileEditorProps {
  vocab: Vocabulary;
  /** The member's own profile. */
  profile: OwnerProfileView;
  /** The latest date of birth of an 18-year-old today (`YYYY-MM-DD`). */
  latestBirthDate: string;
}

interface EditorState {
  errors: Errors;
  tags: string[];
  prefTags: string[];
  busy?: boolean;
  status?: string;
  saved?: boolean;
}

/**
 * Edits the member's profile on one page: basics, about, photos (saved as they change) and
 * preferences; "Save" sends every field in one partial update and shows errors by their fields.
 */
export default class ProfileEditor extends Component<ProfileEditorProps, EditorState> {
  form = createRef<HTMLFormElement>();

  constructor(props: ProfileEditorProps) {
    super(props);
    this.state = {
      errors: {},
      tags: props.profile.vibeTags,
      prefTags: props.profile.preferences.tags,
    };
  }

  toggle = (name: string, id: string) => {
    const { tags, prefTags } = this.state;
    this.setState(
      name === "vibeTags"
        ? { tags: toggled(tags, id), saved: false }
        : { prefTags: toggled(prefTags, id), saved: false },
    );
  };

  failed(errors: Errors, status: string) {
    this.setState({ errors, busy: false, status, saved: false }, () => {
      focusInvalid(this.form.current);
    });
  }

  save = async (event: Event) => {
    event.preventDefault();
    const form = this.form.current!;
    const { vocab, profile } = this.props;
    const basics = readBasics(form);
    const about = readAbout(form, this.state.tags, vocab.maxPrompts);
    const errors = { ...checkBasics(basics, false), ...checkAbout(about, vocab.minTags) };
    if (Object.keys(errors).length) return this.failed(errors, "Check the highlighted fields.");
    this.setState({ busy: true, status: "Saving…", errors: {} });
    try {
      await request("PUT", `/api/profiles/${profile.id}`, {
        ...basics,
        ...about.body,
        ...readPreferences(form, this.state.prefTags),
      });
      this.setState({ busy: false, saved: true, status: "Saved. The circle sees the new you." });
    } catch (error) {
      const fields = error instanceof RequestError ? error.fields : {};
      this.failed(placeErrors(form, fields, about.slots), sentence(error));
    }
  };

  render() {
    const { vocab, profile, latestBirthDate } = this.props;
    const { errors, tags, prefTags, busy, status, saved } = this.state;
    const shared = { vocab, profile, errors };
    const section = (title: string, content: ComponentChildren) => (
      <section class="setup__step editor__section" aria-label={title}>
        <h2 class="setup__title">{title}</h2>
        {content}
      </section>
    );
    return (
      <form class="setup editor" ref={this.form} onSubmit={this.save} noValidate>
        {section("Basics", <BasicsFields {...shared} latestBirthDate={latestBirthDate} />)}
        {section("About you", <AboutFields {...shared} tags={tags} onToggle={this.toggle} />)}
        {section(
          "Photos",
          <ImageUpload profileId={profile.id} photos={profile.photos} max={vocab.maxPhotos} />,
        )}
        {section(
          "Preferences",
          <PreferenceFields {...shared} prefTags={prefTags} onToggle={this.toggle} />,
        )}
        <p
          class={saved ? "setup__status setup__status--done" : "setup__status"}
          role="status"
          data-testid="save-status"
        >
          {status}
        </p>
        <div class="setup__actions editor__actions">
          <ButtonLink href={`/members/${profile.id}`} variant="ghost">View</ButtonLink>
          <Button type="submit" disabled={busy} aria-busy={busy} data-testid="save-profile">
            Save profile
          </Button>
        </div>
      </form>
    );
  }
}
