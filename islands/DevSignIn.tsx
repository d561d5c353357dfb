import { Component } from "preact";
import { Button } from "@/components/Button.tsx";
import { callApi, describeError } from "@/client/api.ts";
import { destinationOf } from "@/client/sign_in.ts";
import { host } from "@/client/world_app.ts";
import { type Progress, Status } from "@/components/auth/Status.tsx";
import type { Persona } from "@/components/auth/types.ts";

/** Props of the DevSignIn island. */
export interface DevSignInProps {
  /** Where to go once signed in (a same-site path), else the default. */
  next?: string | null;
  /** The personas to offer (the page reads them on the server). */
  personas: Persona[];
}

/**
 * Development sign-in: pick a persona, `POST /api/auth/dev`, then on to the vault or the gate.
 * Rendered only when the server enables it; hidden inside World App, where the real flow runs.
 */
export default class DevSignIn
  extends Component<DevSignInProps, { chosen?: string; progress?: Progress }> {
  signIn = async (event: Event) => {
    event.preventDefault();
    this.setState({ progress: { kind: "busy", text: "Opening the door…" } });
    try {
      const { membership } = await callApi<{ membership: { admitted: boolean } }>("/api/auth/dev", {
        persona: this.state.chosen ?? this.props.personas[0].id,
      });
      this.setState({ progress: { kind: "done", text: "Signed in. Taking you inside…" } });
      location.assign(destinationOf(membership, this.props.next));
    } catch (error) {
      this.setState({ progress: { kind: "error", text: describeError(error) } });
    }
  };

  render() {
    const { personas } = this.props;
    const { chosen = personas[0]?.id, progress = { kind: "idle" } } = this.state;
    const busy = progress.kind === "busy" || progress.kind === "done";
    // A form in every render (hidden in World App): the first browser render reuses the server's.
    return (
      <form class="dev-signin" onSubmit={this.signIn} hidden={host() === "world-app"}>
        <fieldset class="dev-signin__set" disabled={busy}>
          <legend class="visually-hidden">Choose a persona</legend>
          {personas.map(({ id, label, description }) => (
            <label key={id} class="persona">
              <input
                type="radio"
                name="persona"
                class="persona__radio"
                checked={chosen === id}
                onChange={() => this.setState({ chosen: id })}
                data-testid={`dev-persona-${id}`}
              />
              <span class="persona__label">{label}</span>
              <span class="persona__description">{description}</span>
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
}
