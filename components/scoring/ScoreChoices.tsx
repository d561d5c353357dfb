/** Where a choice form sends the member back to. */
export type ChoiceReturn = "/profile/score" | "/leaderboard";

/** Props of {@link ChoiceForm}. */
interface ChoiceFormProps {
  choice: "leaderboard" | "style";
  on: boolean;
  title: string;
  /** What the member's state is, in one sentence, for on and for off. */
  state: { on: string; off: string };
  /** What others will see, in one sentence. */
  explain: string;
  button: { on: string; off: string };
  back: ChoiceReturn;
}

/** One opt-in: its state, what others will see, and one button that flips it (a plain form). */
function ChoiceForm({ choice, on, title, state, explain, button, back }: ChoiceFormProps) {
  return (
    <form
      class="choice"
      method="post"
      action="/profile/score"
      data-testid={`choice-${choice}`}
      data-on={on ? "true" : "false"}
    >
      <h3 class="choice__title">{title}</h3>
      <p class="choice__state">{on ? state.on : state.off}</p>
      <p class="choice__explain">{explain}</p>
      <input type="hidden" name="action" value={choice} />
      <input type="hidden" name="optIn" value={on ? "false" : "true"} />
      <input type="hidden" name="back" value={back} />
      <button
        type="submit"
        class={on ? "btn btn--ghost btn--block" : "btn btn--primary btn--block"}
        data-testid={`choice-${choice}-button`}
      >
        {on ? button.on : button.off}
      </button>
    </form>
  );
}

/** The leaderboard choice (private until the member chooses). */
export function LeaderboardChoice({ on, back }: { on: boolean; back: ChoiceReturn }) {
  return (
    <ChoiceForm
      choice="leaderboard"
      on={on}
      back={back}
      title="The leaderboard"
      state={{
        on: "You are on the leaderboard.",
        off: "Your scores are private: only you see them.",
      }}
      explain="On the leaderboard, members see your name, your card photo (veiled unless you have matched) and the score of your best photo — never your other photos' scores or their breakdowns."
      button={{ on: "Take me off the leaderboard", off: "Show my score on the leaderboard" }}
    />
  );
}

/** The photo-style choice (off until the member chooses). */
export function StyleChoice({ on, back }: { on: boolean; back: ChoiceReturn }) {
  return (
    <ChoiceForm
      choice="style"
      on={on}
      back={back}
      title="Similar photo style"
      state={{
        on: "Members with a similar photo style can find you.",
        off: "You are not shown to members by photo style.",
      }}
      explain="Your card may then appear under “Similar photo style” on the pages of members whose photos have a style like yours (light, colour, framing); it never shows a score."
      button={{
        on: "Stop showing me by photo style",
        off: "Let members with a similar photo style find me",
      }}
    />
  );
}
