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

/** Props of the ProfileSetup island. */
export interface ProfileSetupProps {
  vocab: Vocabulary;
  /** The member's profile when onboarding resumes after it was created; else null. */
  profile: OwnerProfileView | null;
  /** The latest date of birth of an 18-year-old today (`YYYY-MM-DD`). */
  latestBirthDate: string;
  /** The step to open on (1–5). */
  start: number;
}

interface SetupState {
  step: number;
  errors: Errors;
  tags: string[];
  prefTags: string[];
  profileId: string | null;
  photoCount: number;
  busy?: boolean;
  status?: string;
}

const STEPS = ["Basics", "About you", "Photos", "Preferences", "Done"];
/** The step each field is asked on, for server errors. */
const STEP_OF: Record<string, number> = {
  displayName: 1,
  dateOfBirth: 1,
  university: 1,
  graduationYear: 1,
  photos: 3,
  preferences: 4,
  contactHandle: 4,
  hidden: 4,
};

/**
 * Onboarding in five steps with progress: basics → about (bio, vibe tags, prompts) → photos →
 * discovery preferences → done. The profile is created when "about" is complete (the API needs the
 * tags), photos upload straight to it, and every step moves focus to its heading.
 */
export default class ProfileSetup extends Component<ProfileSetupProps, SetupState> {
  form = createRef<HTMLFormElement>();

  constructor(props: ProfileSetupProps) {
    super(props);
    const { profile, start } = props;
    this.state = {
      step: start,
      errors: {},
      tags: profile?.vibeTags ?? [],
      prefTags: profile?.preferences.tags ?? [],
      profileId: profile?.id ?? null,
      photoCount: profile?.photos.length ?? 0,
    };
  }

  toggle = (name: string, id: string) => {
    const { tags, prefTags } = this.state;
    this.setState(
      name === "vibeTags" ? { tags: toggled(tags, id) } : { prefTags: toggled(prefTags, id) },
    );
  };

  go(step: number) {
    this.setState({ step, errors: {}, busy: false, status: "" }, () => {
      document.getElementById(`setup-title-${step}`)?.focus();
    });
  }

  invalid(errors: Errors, status = "Check the highlighted fields.") {
    const steps = Object.keys(errors).map((f) => STEP_OF[f.split(".")[0]] ?? 2);
    const step = Math.min(...steps, this.state.step);
    this.setState({ step, errors, busy: false, status }, () => focusInvalid(this.form.current));
  }

  save(body: Record<string, unknown>, slots?: number[]): Promise<boolean> {
    const { profileId } = this.state;
    const call = profileId
      ? request<OwnerProfileView>("PUT", `/api/profiles/${profileId}`, body)
      : request<{ profile: OwnerProfileView }>("POST", "/api/profiles", body).then((r) =>
        r.profile
      );
    this.setState({ busy: true, status: "Sealing your profile…" });
    return call.then((profile) => {
      this.setState({ profileId: profile.id });
      return true;
    }, (error) => {
      if (error instanceof RequestError && Object.keys(error.fields).length) {
        this.invalid(placeErrors(this.form.current!, error.fields, slots), sentence(error));
      } else this.setState({ busy: false, status: sentence(error) });
      return false;
    });
  }

  next = async (event: Event) => {
    event.preventDefault();
    const form = this.form.current!;
    const { step, profileId, tags, prefTags, photoCount } = this.state;
    const { vocab } = this.props;
    const basics = readBasics(form);
    let errors = checkBasics(basics, !profileId);
    if (step === 1) return Object.keys(errors).length ? this.invalid(errors) : this.go(2);
    if (step === 2) {
      const about = readAbout(form, tags, vocab.maxPrompts);
      errors = { ...errors, ...checkAbout(about, vocab.minTags) };
      if (Object.keys(errors).length) return this.invalid(errors);
      if (await this.save({ ...basics, ...about.body }, about.slots)) this.go(3);
    } else if (step === 3) {
      if (photoCount) this.go(4);
      else this.invalid({ photos: "Add at least one photo of yourself." }, "");
    } else if (await this.save(readPreferences(form, prefTags))) this.go(5);
  };

  render() {
    const { vocab, profile, latestBirthDate } = this.props;
    const { errors, tags, prefTags, profileId, busy, status } = this.state;
    const current = this.state.step;
    const shared = { vocab, profile, errors };
    const step = (n: number, content: ComponentChildren) => (
      <section
        class="setup__step"
        hidden={current !== n}
        aria-labelledby={`setup-title-${n}`}
        data-testid={`setup-step-${n}`}
      >
        <h2 class="setup__title" id={`setup-title-${n}`} tabIndex={-1}>
          <span class="setup__count">Step {n} of {STEPS.length}</span>
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
        noValidate
        data-testid="profile-setup"
        data-step={current}
      >
        <ol class="setup-progress" aria-label={`Step ${current} of ${STEPS.length}`}>
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
        {step(1, <BasicsFields {...shared} latestBirthDate={latestBirthDate} />)}
        {step(2, <AboutFields {...shared} tags={tags} onToggle={this.toggle} />)}
        {step(
          3,
          <>
            <ImageUpload
              profileId={profileId}
              photos={profile?.photos ?? []}
              max={vocab.maxPhotos}
              onCount={(photoCount) => this.setState({ photoCount, errors: {} })}
            />
            {errors.photos
              ? <p class="field__error" id="photos" data-testid="error-photos">{errors.photos}</p>
              : null}
          </>,
        )}
        {step(4, <PreferenceFields {...shared} prefTags={prefTags} onToggle={this.toggle} />)}
        {step(
          5,
          <p class="setup__done">
            Your profile is sealed. Members see a veiled photo until you signal each other.
          </p>,
        )}
        <p class="setup__status" role="status" data-testid="setup-status">{status}</p>
        <div class="setup__actions">
          {current > 1 && current < 5
            ? (
              <Button variant="ghost" onClick={() => this.go(current - 1)} disabled={busy}>
                Back
              </Button>
            )
            : null}
          {current < 5
            ? (
              <Button type="submit" disabled={busy} aria-busy={busy} data-testid="setup-next">
                {current === 4 ? "Finish" : "Continue"}
              </Button>
            )
            : (
              <ButtonLink href="/vault" block data-testid="setup-finish">
                Enter the vault
              </ButtonLink>
            )}
        </div>
      </form>
    );
  }
}
