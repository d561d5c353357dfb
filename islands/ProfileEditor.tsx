import { Component, type ComponentChildren, type ComponentType, createRef } from "preact";
import { callApi, describeError } from "@/client/api.ts";
import {
  checkAbout,
  checkBasics,
  fieldErrors,
  limitTags,
  markErrors,
  placeErrors,
  readAbout,
  readBasics,
  readPreferences,
  Static,
} from "@/client/profile_form.ts";
import type { Errors, PhotoView } from "@/components/profile/types.ts";
import type { ImageUploadProps } from "./ImageUpload.tsx";

/** Props of the ProfileEditor island: data, plus the server-rendered fields of each section. */
export interface ProfileEditorProps {
  profileId: string;
  photos: PhotoView[];
  maxPhotos: number;
  minTags: number;
  /** Slots: the fields of the basics, about and preferences sections. */
  basics: ComponentChildren;
  about: ComponentChildren;
  preferences: ComponentChildren;
}

interface EditorState {
  busy?: boolean;
  status?: string;
  saved?: boolean;
  /** The photo uploader, loaded when the photos come into view (a chunk of its own). */
  Upload?: ComponentType<ImageUploadProps>;
}

/**
 * Edits the member's profile on one page: basics, about, photos (saved as they change) and
 * preferences; "Save" sends every field in one partial update and shows errors by their fields.
 */
export default class ProfileEditor extends Component<ProfileEditorProps, EditorState> {
  form = createRef<HTMLFormElement>();
  photos = createRef<HTMLElement>();
  observer?: IntersectionObserver;

  override componentDidMount() {
    this.observer = new IntersectionObserver(([entry]) => {
      if (!entry.isIntersecting) return;
      this.observer!.disconnect();
      import("./ImageUpload.tsx").then((m) => this.setState({ Upload: m.default }));
    }, { rootMargin: "200px" });
    this.observer.observe(this.photos.current!);
  }

  override componentWillUnmount() {
    this.observer?.disconnect();
  }

  failed(errors: Errors, status: string) {
    this.setState({ busy: false, status, saved: false });
    markErrors(this.form.current!, errors);
  }

  save = async (event: Event) => {
    event.preventDefault();
    const form = this.form.current!;
    const basics = readBasics(form);
    const about = readAbout(form);
    const errors = { ...checkBasics(basics, false), ...checkAbout(about, this.props.minTags) };
    if (Object.keys(errors).length) return this.failed(errors, "Check the highlighted fields.");
    markErrors(form, {});
    this.setState({ busy: true, status: "Saving…" });
    try {
      const body = { ...basics, ...about.body, ...readPreferences(form) };
      await callApi(`/api/profiles/${this.props.profileId}`, body, "PUT");
      this.setState({ busy: false, saved: true, status: "Saved. The circle sees the new you." });
    } catch (error) {
      const fields = fieldErrors(error);
      const placed = placeErrors(form, fields, about.slots);
      this.failed(placed, placed.form ?? describeError(error));
    }
  };

  render() {
    const { profileId, photos, maxPhotos, basics, about, preferences } = this.props;
    const { busy, status, saved, Upload } = this.state;
    const section = (title: string, content: ComponentChildren) => (
      <section
        class="setup__step editor__section"
        aria-label={title}
        ref={title === "Photos" ? this.photos : undefined}
      >
        <h2 class="setup__title">{title}</h2>
        {content}
      </section>
    );
    return (
      <form
        class="setup editor"
        ref={this.form}
        onSubmit={this.save}
        onChange={() => limitTags(this.form.current!)}
        noValidate
      >
        {section("Basics", <Static>{basics}</Static>)}
        {section("About you", <Static>{about}</Static>)}
        {section(
          "Photos",
          Upload
            ? <Upload profileId={profileId} photos={photos} max={maxPhotos} />
            : <p class="loading-inline">Opening your photos…</p>,
        )}
        {section("Preferences", <Static>{preferences}</Static>)}
        <p
          class={saved ? "setup__status setup__status--done" : "setup__status"}
          role="status"
          data-testid="save-status"
        >
          {status}
        </p>
        <div class="setup__actions">
          <a href={`/members/${profileId}`} class="btn btn--ghost">View</a>
          <button
            type="submit"
            class="btn btn--primary"
            disabled={busy}
            aria-busy={busy}
            data-testid="save-profile"
          >
            Save profile
          </button>
        </div>
      </form>
    );
  }
}
