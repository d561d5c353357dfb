import { Component } from "preact";

/** Props of the NetworkIndicator island: none. */
export type NetworkIndicatorProps = Record<never, never>;

/**
 * Whether the device is online (`navigator.onLine` and its events): a quiet dot while online, the
 * word "Offline" when not, so a member knows why nothing loads. No chain name: members need none.
 */
export default class NetworkIndicator
  extends Component<NetworkIndicatorProps, { offline?: boolean }> {
  update = () => this.setState({ offline: !navigator.onLine });

  override componentDidMount() {
    this.update();
    addEventListener("online", this.update);
    addEventListener("offline", this.update);
  }

  override componentWillUnmount() {
    removeEventListener("online", this.update);
    removeEventListener("offline", this.update);
  }

  render() {
    const { offline } = this.state;
    return (
      <p
        class={offline ? "network network--offline" : "network"}
        data-testid="network-indicator"
        data-online={String(!offline)}
        role="status"
      >
        <span class="network__dot" aria-hidden="true" />
        {offline ? "Offline" : null}
      </p>
    );
  }
}
