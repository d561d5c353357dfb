import { useSignal } from "@preact/signals";
import { AnimatedSigil } from "@/components/AnimatedSigil.tsx";

/** Props of the OathReveal island (serializable only). */
export interface OathRevealProps {
  /** The lines of the oath, revealed when the seal is broken. */
  lines: string[];
}

/** A wax seal bearing the sigil; tapping it breaks the seal and reveals the oath (and reseals it). */
export default function OathReveal({ lines }: OathRevealProps) {
  const revealed = useSignal(false);
  const state = revealed.value ? "revealed" : "sealed";
  return (
    <div class={`oath oath--${state}`} data-testid="oath" data-state={state}>
      <button
        type="button"
        class="oath__seal"
        aria-expanded={revealed.value}
        aria-controls="oath-text"
        data-testid="oath-seal"
        onClick={() => revealed.value = !revealed.value}
      >
        <AnimatedSigil size="lg" />
        <span class="oath__hint">{revealed.value ? "Seal the oath" : "Break the seal"}</span>
      </button>
      <blockquote
        id="oath-text"
        class="oath__text"
        data-testid="oath-text"
        hidden={!revealed.value}
      >
        {lines.map((line, i) => <p key={i} class="oath__line">{line}</p>)}
      </blockquote>
    </div>
  );
}
