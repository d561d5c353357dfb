import { Shell } from "@/components/Shell.tsx";
import { ButtonLink } from "@/components/Button.tsx";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";
import { GoldenGlow } from "@/components/GoldenGlowEffects.tsx";

/** What went wrong, with what the page needs to say it (the `_404` and `_500` routes render it). */
export type ErrorPageData =
  | { kind: "not_found" }
  /** Never the error itself: a friendly message and, when known, the request id. */
  | { kind: "server_error"; requestId: string | null }
  /** Refused by the access policy: 401 without a session, 403 for a member not yet admitted. */
  | { kind: "denied"; status: 401 | 403; next: string }
  /** Any other 4xx of a page, with the domain error's (user-facing) message. */
  | { kind: "client_error"; status: number; message: string };

interface Wording {
  testId: string;
  eyebrow: string;
  title: string;
  text: string;
  action: { href: string; label: string; testId: string };
}

function wording(props: ErrorPageData): Wording {
  const home = { href: "/", label: "Back to the entrance", testId: "error-home" };
  switch (props.kind) {
    case "not_found":
      return {
        testId: "not-found",
        eyebrow: "Error 404",
        title: "This passage is sealed",
        text: "The page you sought does not exist, or it was never meant to be found.",
        action: home,
      };
    case "server_error":
      return {
        testId: "server-error",
        eyebrow: "Error 500",
        title: "The ritual faltered",
        text:
          "Something went wrong on our side. Nothing you did caused it. Please try again in a moment.",
        action: home,
      };
    case "denied":
      return props.status === 401
        ? {
          testId: "members-only",
          eyebrow: "Members only",
          title: "Speak the word",
          text: "This part of the circle opens to signed-in members.",
          action: {
            href: `/signin?next=${encodeURIComponent(props.next)}`,
            label: "Sign in",
            testId: "denied-action",
          },
        }
        : {
          testId: "not-admitted",
          eyebrow: "Not yet admitted",
          title: "The vault is sealed",
          text: "You are signed in, but not yet admitted. Bring the gate NFT or a member's invite.",
          action: { href: "/gate", label: "Go to the gate", testId: "denied-action" },
        };
    case "client_error":
      return {
        testId: "client-error",
        eyebrow: `Error ${props.status}`,
        title: "That did not go through",
        text: props.message,
        action: { href: "/vault", label: "Back to the vault", testId: "error-home" },
      };
  }
}

/** The themed error page for a 404, a 500, an access refusal or a page's 4xx. */
export function ErrorPage(props: ErrorPageData) {
  const { testId, eyebrow, title, text, action } = wording(props);
  const requestId = props.kind === "server_error" ? props.requestId : null;
  return (
    <Shell mainClass="shell__main--center">
      <section class="error-page" aria-labelledby="error-title" data-testid={testId}>
        <GoldenGlow>
          <AnimatedSigil size="lg" animated={false} />
        </GoldenGlow>
        <p class="eyebrow">{eyebrow}</p>
        <h1 id="error-title" class="display error-page__title">{title}</h1>
        <p class="error-page__text">{text}</p>
        {requestId
          ? (
            <p class="error-page__ref">
              Reference <code data-testid="request-id">{requestId}</code>
            </p>
          )
          : null}
        <ButtonLink href={action.href} data-testid={action.testId}>{action.label}</ButtonLink>
      </section>
    </Shell>
  );
}
