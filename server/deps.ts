/** The backends the app is composed from, injected so tests build the real app on `:memory:` KV. */
import type { PageStylesheet } from "@/server/http/stylesheet.ts";
import type { Clock } from "@/core/clock.ts";
import type { AppConfig } from "@/core/config.ts";
import type { Cache } from "@/core/cache/types.ts";
import type {
  GateChainReader,
  GateChecker,
  Session,
  SiweSignatureVerifier,
  WorldIdPortalClient,
} from "@/core/auth/mod.ts";
import type { Member } from "@/core/members.ts";
import type { Profile } from "@/core/profiles/mod.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import type { VectorStore } from "@/core/discovery/mod.ts";
import type { PaymentPortalClient, TicketChain } from "@/core/events/mod.ts";
import type * as MlModule from "@/ml-wasm/mod.ts";
import type { Logger } from "@/server/observability/logger.ts";
import type { Metrics } from "@/server/observability/metrics.ts";
import type { LiveStreams } from "@/server/background/event_stream.ts";

/**
 * A readiness probe of one backend: resolves when it answers, rejects otherwise. `optional`
 * backends (the app degrades without them) are reported but do not make the app unready.
 */
export type HealthCheck = (() => Promise<void>) & { optional?: boolean };

/** The chain capabilities the app uses (a viem public client provides them all). */
export type ChainClient = SiweSignatureVerifier & GateChainReader;

/**
 * The photo-analysis core: the Rust→WASM module's functions, by default run by the worker pool of
 * `ml-wasm/pool.ts` (whose `close()` terminates its workers; the in-process module has none).
 */
export type MlCore =
  & Pick<
    typeof MlModule,
    "analyzePhoto" | "preparePhoto" | "scorePhoto" | "defaultModel" | "fitPreferences"
  >
  & { close?(): Promise<void> };

/** Everything routes reach through `ctx.state.deps`. Later backends join this record. */
export interface AppDeps {
  kv: Deno.Kv;
  clock: Clock;
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  cache: Cache;
  chain: ChainClient;
  gate: GateChecker;
  portal: WorldIdPortalClient;
  objects: ObjectStore;
  ml: MlCore;
  /** Photo-style vectors: the embedded index by default, Qdrant with `QDRANT_URL`. Close it with the app. */
  vectors: VectorStore;
  /** TicketNFT through the minter key; null when not configured (mint jobs then retry and dead-letter). */
  tickets: TicketChain | null;
  /** Confirms MiniKit payments with the World developer portal. */
  payments: PaymentPortalClient;
  /** Readiness checks by backend name, reported by `GET /api/health`. */
  health: Record<string, HealthCheck>;
  /** This process's open event streams (a per-member cap, closed together on shutdown). */
  streams: LiveStreams;
}

/** What every request carries on `ctx.state`. */
export interface AppState {
  deps: AppDeps;
  requestId: string;
  /** The CSP nonce of this response (the page renderer uses it for the island script). */
  nonce: string;
  /** The signed-in member's session (cookie value and record), when there is one. */
  session: { id: string; record: Session } | null;
  member: Member | null;
  /** True when the cookie named a session of a suspended member (who is then signed out). */
  suspended?: boolean;
  /** How this page carries the stylesheet (inlined on a first visit); set for page requests. */
  stylesheet?: PageStylesheet;
  /**
   * The member's own profile as the details middleware read it before a members' GET page ran
   * (null: none), so the page does not read it again; unset on other requests.
   */
  ownProfileRecord?: Profile | null;
  [key: string]: unknown;
}

/** State of a route that the access policy guarantees is signed in. */
export interface SignedInState extends AppState {
  session: { id: string; record: Session };
  member: Member;
}
