import { useEffect, useState } from "preact/hooks";
import { Button } from "../components/Button.tsx";
import {
  api,
  describeError,
  destinationOf,
  host,
  refreshSession,
} from "../components/auth/client.ts";
import { type Progress, Status } from "../components/auth/Status.tsx";
import type { Persona } from "../components/auth/types.ts";

/** Props of the DevSignIn island. */
export interface DevSignInProps {
  /** The personas to offer; when absent they are fetched from `GET /api/auth/dev`. */
  personas?: Persona[];
}

/**
 * Development sign-in: pick a persona, `POST /api/auth/dev`, then on to the vault or the gate.
 * Rendered only when the server enables it; hidden inside World App, where the real flow runs.
 */
export default function DevSignIn({ personas: given }: DevSignInProps) {
  const [personas, setPersonas] = useState(given);
  const [chosen, setChosen] = useState(given?.[0]?.id);
  const [progress, setProgress] = useState<Progress>(
    given ? { kind: "idle" } : { kind: "busy", text: "Summoning personas…" },
  );

  useEffect(() => {
    if (given) return;
    api<{ personas: Persona[] }>("/api/auth/dev").then((list) => {
      setPersonas(list.personas);
      setChosen(list.personas[0]?.id);
      setProgress({ kind: "idle" });
    }, (error) => setProgress({ kind: "error", text: describeError(error) }));
  }, []);

  async function signIn(event: Event) {
    event.preventDefault();
    setProgress({ kind: "busy", text: "Opening the door…" });
    try {
      const { membership } = await api<{ membership: { admitted: boolean } }>("/api/auth/dev", {
        persona: chosen,
      });
      await refreshSession();
      setProgress({ kind: "done", text: "Signed in. Taking you inside…" });
      location.assign(destinationOf(membership));
    } catch (error) {
      setProgress({ kind: "error", text: describeError(error) });
    }
  }

  if (host() === "world-app") return null;
  const busy = progress.kind === "busy" || progress.kind === "done";
  return (
    <form class="dev-signin" onSubmit={signIn}>
      <fieldset class="dev-signin__set" disabled={busy}>
        <legend class="visually-hidden">Choose a persona</legend>
        {personas?.map((persona) => (
          <label key={persona.id} class="persona">
            <input
              type="radio"
              name="persona"
              class="persona__radio"
              checked={chosen === persona.id}
              onChange={() => setChosen(persona.id)}
              data-testid={`dev-persona-${persona.id}`}
            />
            <span class="persona__label">{persona.label}</span>
            <span class="persona__description">{persona.description}</span>
          </label>
        ))}
      </fieldset>
      <Button type="submit" block disabled={!chosen || busy} data-testid="dev-signin">
        Enter as persona
      </Button>
      <Status progress={progress} testId="dev-signin-status" />
    </form>
  );
}
