import NetworkIndicator from "../../islands/NetworkIndicator.tsx";
import SessionIndicator from "../../islands/SessionIndicator.tsx";

/** Props of {@link HeaderStatus}. */
export interface HeaderStatusProps {
  chainId: number;
  chainName: string;
}

/** The Shell's `headerActions` for signed-in areas: the chain and online state, then the member. */
export function HeaderStatus({ chainId, chainName }: HeaderStatusProps) {
  return (
    <>
      <NetworkIndicator chainId={chainId} chainName={chainName} />
      <SessionIndicator />
    </>
  );
}
