import { Component } from "preact";

/** Props of the NetworkIndicator island. */
export interface NetworkIndicatorProps {
  chainId: number;
  /** Human name of the chain, e.g. "World Chain". */
  chainName: string;
}

/** The configured chain and whether the device is online (`navigator.onLine` and its events). */
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
    const { chainId, chainName } = this.props;
    const { offline } = this.state;
    return (
      <p
        class={offline ? "network network--offline" : "network"}
        title={`${chainName} (chain ${chainId})`}
        data-testid="network-indicator"
        data-online={String(!offline)}
        role="status"
      >
        <span class="network__dot" aria-hidden="true" />
        {offline ? "Offline" : chainName}
      </p>
    );
  }
}
