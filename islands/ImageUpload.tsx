import { Component } from "preact";
import { ApiError, apiErrorOf, callApi, describeError } from "@/client/api.ts";
import type { OwnerProfileView, PhotoView } from "@/components/profile/types.ts";

/** Props of the ImageUpload island (serializable, except the optional callback for hosts). */
export interface ImageUploadProps {
  /** The member's profile; null until it exists (uploads wait for it). */
  profileId: string | null;
  /** The photos already on the profile, in order. */
  photos: PhotoView[];
  /** Most photos a profile holds. */
  max: number;
  /** Told the number of photos after every change (when hosted by another island). */
  onCount?: (count: number) => void;
}

interface Pending {
  url: string;
  progress: number;
}

interface ImageUploadState {
  photos: PhotoView[];
  pending?: Pending | null;
  busy?: boolean;
  error?: string;
}

const TYPES = ["image/jpeg", "image/png"];
const MAX_BYTES = 10 * 1024 * 1024;
const FALLBACK: Record<number, string> = {
  413: "That photo is too large. Choose one under 10 MB.",
  415: "Only JPEG or PNG photos can be added.",
};

/**
 * The member's photos: pick a file (or take one with the camera on a phone), see it at once from an
 * object URL while it uploads with a progress bar (XMLHttpRequest upload progress), then reorder
 * or delete. Every refusal of the server (413, 415, 422…) is shown as its own message.
 */
export default class ImageUpload extends Component<ImageUploadProps, ImageUploadState> {
  constructor(props: ImageUploadProps) {
    super(props);
    this.state = { photos: props.photos };
  }

  override componentDidUpdate(_: ImageUploadProps, previous: ImageUploadState) {
    if (previous.photos.length !== this.state.photos.length) {
      this.props.onCount?.(this.state.photos.length);
    }
  }

  fail(error: string) {
    this.setState({ error, pending: null, busy: false });
  }

  pick = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (file) this.upload(file);
  };

  upload(file: File) {
    const { profileId } = this.props;
    if (!profileId) return this.fail("Save your profile first, then add photos.");
    if (!TYPES.includes(file.type)) return this.fail(FALLBACK[415]);
    if (file.size > MAX_BYTES) return this.fail(FALLBACK[413]);
    const url = URL.createObjectURL(file);
    this.setState({ pending: { url, progress: 0 }, busy: true, error: "" });
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/profiles/${profileId}/photos`);
    xhr.setRequestHeader("content-type", file.type);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) {
        this.setState({ pending: { url, progress: Math.round((e.loaded / e.total) * 100) } });
      }
    };
    xhr.onload = () => {
      URL.revokeObjectURL(url);
      let data: unknown = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch { /* not JSON: the fallback message below */ }
      if (xhr.status === 201) {
        const { profile } = data as { profile: OwnerProfileView };
        return this.setState({ photos: profile.photos, pending: null, busy: false });
      }
      const error = apiErrorOf(xhr.status, data);
      this.fail(data ? error.message : FALLBACK[xhr.status] ?? error.message);
    };
    xhr.onerror = () => {
      URL.revokeObjectURL(url);
      this.fail(describeError(new ApiError(0, "network", "")));
    };
    xhr.send(file);
  }

  async change(photos: PhotoView[], call: () => Promise<unknown>) {
    const before = this.state.photos;
    this.setState({ photos, busy: true, error: "" });
    try {
      await call();
      this.setState({ busy: false });
    } catch (error) {
      this.setState({ photos: before });
      this.fail(describeError(error));
    }
  }

  move(index: number, by: number) {
    const photos = [...this.state.photos];
    const [photo] = photos.splice(index, 1);
    photos.splice(index + by, 0, photo);
    const path = `/api/profiles/${this.props.profileId}/photos/order`;
    this.change(photos, () => callApi(path, { order: photos.map((p) => p.id) }, "PUT"));
  }

  remove(id: string) {
    const path = `/api/profiles/${this.props.profileId}/photos/${id}`;
    this.change(
      this.state.photos.filter((p) => p.id !== id),
      () => callApi(path, undefined, "DELETE"),
    );
  }

  render() {
    const { profileId, max } = this.props;
    const { photos, pending, busy, error } = this.state;
    const pickers = [
      ["Choose a photo", "photo-input", undefined],
      ["Take a photo", "photo-camera", "user"],
    ] as const;
    return (
      <div class="uploader" data-testid="image-upload">
        <ul class="photo-grid" aria-label="Your photos">
          {photos.map((photo, i) => (
            <li key={photo.id} class="photo-tile" data-testid="photo-tile">
              <img
                class="photo-tile__img"
                src={`/api/profiles/${profileId}/photos/${photo.id}?size=card&v=open`}
                alt={`Your photo ${i + 1}${i ? "" : ", the cover"}`}
                width={photo.width}
                height={photo.height}
              />
              {i ? null : <span class="photo-tile__cover" aria-hidden="true">Cover</span>}
              <span class="photo-tile__tools">
                {([["‹", "earlier", -1], ["›", "later", 1], ["×", "Delete", 0]] as const).map((
                  [sign, what, by],
                ) => (
                  <button
                    key={what}
                    type="button"
                    class="icon-btn"
                    aria-label={by ? `Move photo ${i + 1} ${what}` : `${what} photo ${i + 1}`}
                    disabled={busy || !photos[i + by]}
                    onClick={() => by ? this.move(i, by) : this.remove(photo.id)}
                    data-testid={by ? undefined : "photo-delete"}
                  >
                    {sign}
                  </button>
                ))}
              </span>
            </li>
          ))}
          {pending
            ? (
              <li class="photo-tile photo-tile--pending">
                <img class="photo-tile__img" src={pending.url} alt="The photo being added" />
                <span class="photo-tile__status">
                  {pending.progress < 100 ? "Uploading…" : "Examining…"}
                </span>
                <progress
                  class="upload-progress"
                  max={100}
                  value={pending.progress}
                  aria-label="Upload progress"
                  data-testid="photo-upload-progress"
                />
              </li>
            )
            : null}
        </ul>
        {photos.length < max
          ? (
            <div class="uploader__pickers">
              {pickers.map(([label, testId, capture]) => (
                <label
                  key={testId}
                  class={`btn btn--ghost btn--block uploader__pick uploader__pick--${testId}`}
                  aria-disabled={busy || !profileId ? "true" : undefined}
                >
                  <input
                    type="file"
                    class="visually-hidden"
                    accept="image/jpeg,image/png"
                    capture={capture}
                    disabled={busy || !profileId}
                    onChange={this.pick}
                    aria-describedby="photo-hint photo-error"
                    data-testid={testId}
                  />
                  {label}
                </label>
              ))}
            </div>
          )
          : null}
        <p class="field__hint" id="photo-hint">
          JPEG or PNG up to 10 MB. The first photo shows just you, your face clearly visible; group
          photos go further down. {photos.length} of {max}.
        </p>
        <p class="field__error" id="photo-error" role="alert" data-testid="photo-error">
          {error}
        </p>
      </div>
    );
  }
}
