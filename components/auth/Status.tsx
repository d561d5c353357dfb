import { LoadingInline } from "@/components/LoadingInline.tsx";

/** What a sign-in control is doing. */
export type Progress =
  | { kind: "idle" }
  | { kind: "busy"; text: string }
  | { kind: "error"; text: string }
  | { kind: "done"; text: string };

/** Props of {@link Status}. */
export interface StatusProps {
  progress: Progress;
  /** data-testid of the region. */
  testId: string;
}

/**
 * The live region under a control: a pulsing seal while waiting, an alert for errors, a note when
 * done. The region is always in the page so screen readers announce each change.
 */
export function Status({ progress, testId }: StatusProps) {
  const { kind } = progress;
  return (
    <p
      class={`auth-status auth-status--${kind}`}
      role="status"
      data-testid={testId}
      data-kind={kind}
    >
      {kind === "idle"
        ? null
        : kind === "busy"
        ? <LoadingInline label={progress.text} />
        : progress.text}
    </p>
  );
}
