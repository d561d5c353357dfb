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
import type { Errors, OwnerProfileView, PhotoView } from "@/components/profile/types.ts";
import type { ImageUploadProps } from "./ImageUpload.tsx";

/** Props of the ProfileSetup island: data, plus the server-rendered fields of steps 1, 2 and 4. */
export interface ProfileSetupProps {
  /** The member's profile id when onboarding resumes after it was created; else null. */
  profileId: string | null;
  photos: PhotoView[];
  maxPhotos: number;
  minTags: number;
  /** The step to open on (1–5). */
  start: number;
  /** Slots: the fields of the basics, about and preferences steps, and the closing words. */
  basics: ComponentChildren;
  about: ComponentChildren;
  preferences: ComponentChildren;
  done: ComponentChildren;
}

interface SetupState {
  step: number;
  profileId: string | null;
  photoCount: number;
  photoError?: string;
  busy?: boolean;
  status?: string;
  /** The photo uploader, loaded on demand (a chunk of its own, outside the first page load). */
  Upload?: ComponentType<ImageUploadProps>;
}

const STEPS = ["Basics", "About you", "Photos", "Preferences", "Done"];
/** The step that asks for a field, for server errors. */
const stepOf = (field: string) =>
  /^(dis|dat|uni|gra|gen|int|cit|reg)/.test(field) ? 1 : /^(pre|con|hid)/.test(field) ? 4 : 2;

/**
 * Onboarding in five steps with progress: basics → about (bio, vibe tags, prompts) → photos →
 * discovery preferences → done. The profile is created when "about" is complete (the API needs the
 * tags), photos upload straight to it, and each new step moves focus to its heading.
 */
export default class ProfileSetup extends Component<ProfileSetupProps, SetupState> {
  form = createRef<HTMLFormElement>();

  constructor(props: ProfileSetupProps) {
    super(props);
    this.state = {
      step: props.start,
      profileId: props.profileId,
      photoCount: props.photos.length,
    };
  }

  override componentDidMount() {
    if (this.state.step > 1) this.loadUpload();
  }

  /** Fetches the uploader once, a step ahead of the photos. */
  loadUpload() {
    this.loading ??= import("./ImageUpload.tsx").then((m) => this.setState({ Upload: m.default }));
  }

  loading?: Promise<void>;

  go(step: number) {
    if (step > 1) this.loadUpload();
    markErrors(this.form.current!, {});
    this.setState({ step, busy: false, status: "", photoError: "" }, () => {
      document.getElementById(`setup-title-${step}`)?.focus();
    });
  }

  invalid(errors: Errors, status = "Check the highlighted fields.") {
    const steps = Object.keys(errors).map(stepOf);
    const step = Math.min(...steps, this.state.step);
    this.setState({ step, busy: false, status }, () => markErrors(this.form.current!, errors));
  }

  async save(body: object, slots?: number[]): Promise<boolean> {
    const { profileId } = this.state;
    this.setState({ busy: true, status: "Sealing your profile…" });
    try {
      const profile = profileId
        ? await callApi<OwnerProfileView>(`/api/profiles/${profileId}`, body, "PUT")
        : (await callApi<{ profile: OwnerProfileView }>("/api/profiles", body)).profile;
      this.setState({ profileId: profile.id });
      return true;
    } catch (error) {
      const fields = fieldErrors(error);
      const placed = placeErrors(this.form.current!, fields, slots);
      this.invalid(placed, placed.form ?? describeError(error));
      return false;
    }
  }

  next = async (event: Event) => {
    event.preventDefault();
    const form = this.form.current!;
    const { step, profileId, photoCount } = this.state;
    const basics = readBasics(form);
    const about = readAbout(form);
    const errors = {
      ...checkBasics(basics, !profileId),
      ...(step > 1 ? checkAbout(about, this.props.minTags) : {}),
    };
    if (Object.keys(errors).length) return this.invalid(errors);
    if (step === 1) this.go(2);
    else if (step === 2) {
      if (await this.save({ ...basics, ...about.body }, about.slots)) this.go(3);
    } else if (step === 3) {
      if (photoCount) this.go(4);
      else this.setState({ photoError: "Add at least one photo of yourself." });
    } else if (await this.save(readPreferences(form))) this.go(5);
  };

  render() {
    const { photos, maxPhotos, basics, about, preferences, done } = this.props;
    const { step: current, profileId, photoError, busy, status, Upload } = this.state;
    const step = (n: number, content: ComponentChildren) => (
      <section
        class="setup__step"
        hidden={current !== n}
        aria-labelledby={`setup-title-${n}`}
        data-testid={`setup-step-${n}`}
      >
        <h2 class="setup__title" id={`setup-title-${n}`} tabIndex={-1}>
          <span class="setup__count">Step {n} of 5</span>
          {STEPS[n - 1]}
        </h2>
        {content}
      </section>
    );
    return (
      <form
        class="setup"
        ref={this.form}
        onSubmit={this.next}
        onChange={() => limitTags(this.form.current!)}
        noValidate
        data-testid="profile-setup"
        data-step={current}
      >
        <ol class="setup-progress" aria-label={`Step ${current} of 5`}>
          {STEPS.map((title, i) => (
            <li
              key={title}
              class={i + 1 < current ? "setup-progress__step is-done" : "setup-progress__step"}
              aria-current={i + 1 === current ? "step" : undefined}
            >
              <span class="setup-progress__label">{title}</span>
            </li>
          ))}
        </ol>
        {step(1, <Static>{basics}</Static>)}
        {step(2, <Static>{about}</Static>)}
        {step(
          3,
          <>
            {Upload
              ? (
                <Upload
                  profileId={profileId}
                  photos={photos}
                  max={maxPhotos}
                  onCount={(photoCount) => this.setState({ photoCount, photoError: "" })}
                />
              )
              : <p class="loading-inline">Opening…</p>}
            <p class="field__error" role="alert" data-testid="error-photos">{photoError}</p>
          </>,
        )}
        {step(4, <Static>{preferences}</Static>)}
        {step(5, <Static>{done}</Static>)}
        <p class="setup__status" role="status" data-testid="setup-status">{status}</p>
        <div class="setup__actions">
          {current > 1 && current < 5
            ? (
              <button
                type="button"
                class="btn btn--ghost"
                onClick={() => this.go(current - 1)}
                disabled={busy}
              >
                Back
              </button>
            )
            : null}
          {current < 5
            ? (
              <button
                type="submit"
                class="btn btn--primary"
                disabled={busy}
                aria-busy={busy}
                data-testid="setup-next"
              >
                {current === 4 ? "Finish" : "Continue"}
              </button>
            )
            : (
              <a href="/vault" class="btn btn--primary btn--block" data-testid="setup-finish">
                Enter the vault
              </a>
            )}
        </div>
      </form>
    );
  }
}
