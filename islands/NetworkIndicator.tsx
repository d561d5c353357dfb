import { useEffect, useState } from "preact/hooks";

/** Props of the NetworkIndicator island. */
export interface NetworkIndicatorProps {
  chainId: number;
  /** Human name of the chain, e.g. "World Chain". */
  chainName: string;
}

/** The configured chain and whether the device is online (`navigator.onLine` and its events). */
export default function NetworkIndicator({ chainId, chainName }: NetworkIndicatorProps) {
  const [online, setOnline] = useState(true);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    addEventListener("online", update);
    addEventListener("offline", update);
    return () => {
      removeEventListener("online", update);
      removeEventListener("offline", update);
    };
  }, []);
  return (
    <p
      class={`network ${online ? "network--online" : "network--offline"}`}
      title={`${chainName} (chain ${chainId})`}
      data-testid="network-indicator"
      data-online={String(online)}
      data-chain-id={chainId}
      role="status"
    >
      <span class="network__dot" aria-hidden="true" />
      <span class="network__name">{online ? chainName : "Offline"}</span>
      <span class="visually-hidden">{online ? ", online" : `, ${chainName} unreachable`}</span>
    </p>
  );
}
