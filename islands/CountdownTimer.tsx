import { Component } from "preact";
import { formatCountdown } from "@/components/events/format.ts";

/** Props of the CountdownTimer island. */
export interface CountdownTimerProps {
  /** The moment counted down to (epoch ms). */
  target: number;
  /** The server's clock when the page was rendered (epoch ms). */
  now: number;
  label: string;
}

/**
 * Time left until `target`. Hydration-safe: the first render shows the server's value (from `now`),
 * then it ticks every second on the client's clock, corrected by the server/client offset.
 */
export default class CountdownTimer extends Component<CountdownTimerProps, { now?: number }> {
  timer?: ReturnType<typeof setTimeout>;
  offset = 0;

  override componentDidMount() {
    this.offset = this.props.now - Date.now();
    this.timer = setInterval(() => this.setState({ now: Date.now() + this.offset }), 1000);
  }

  override componentWillUnmount() {
    clearInterval(this.timer);
  }

  render() {
    const now = this.state.now ?? this.props.now;
    const left = this.props.target - now;
    return (
      <p class="countdown" data-testid="countdown" data-ended={String(left <= 0)}>
        <span class="countdown__label">{this.props.label}</span>{" "}
        <time class="countdown__value">{formatCountdown(left)}</time>
      </p>
    );
  }
}
