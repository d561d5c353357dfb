/** Fixtures for the social tests: World ID–verified members, admitted or not, on the test's own KV. */
import type { Clock } from "@/core/clock.ts";
import { bindNullifier, ensureMember, grantMembership } from "@/core/members.ts";

/** A deterministic wallet for fixture number `n` (distinct per `namespace`). */
export function walletFor(n: number, namespace = 0xa): string {
  return `0x${namespace.toString(16)}${n.toString(16).padStart(39, "0")}`;
}

/** Creates a World ID–verified member (not admitted) and returns the wallet. */
export async function verifiedMember(
  kv: Deno.Kv,
  clock: Clock,
  n: number,
  namespace = 0xa,
): Promise<string> {
  const wallet = walletFor(n, namespace);
  await ensureMember(kv, clock, wallet);
  await bindNullifier(kv, clock, wallet, {
    nullifierHash: `0x${namespace.toString(16)}${n.toString(16).padStart(63, "0")}`,
    verificationLevel: "orb",
  });
  return wallet;
}

/** Creates a verified member admitted through the gate NFT and returns the wallet. */
export async function admittedMember(
  kv: Deno.Kv,
  clock: Clock,
  n: number,
  namespace = 0xa,
): Promise<string> {
  const wallet = await verifiedMember(kv, clock, n, namespace);
  await grantMembership(kv, clock, wallet, { via: "gate_nft" });
  return wallet;
}

/** Creates `count` admitted members (in parallel batches) and returns their wallets. */
export async function admittedMembers(
  kv: Deno.Kv,
  clock: Clock,
  count: number,
  namespace = 0xa,
): Promise<string[]> {
  const wallets: string[] = [];
  for (let start = 0; start < count; start += 200) {
    const batch = Array.from({ length: Math.min(200, count - start) }, (_, i) => start + i);
    wallets.push(
      ...await Promise.all(batch.map((n) => admittedMember(kv, clock, n, namespace))),
    );
  }
  return wallets;
}

/** Settles every promise and splits the outcomes into values and errors. */
export async function settle<T>(promises: Promise<T>[]): Promise<{ ok: T[]; errors: unknown[] }> {
  const results = await Promise.allSettled(promises);
  return {
    ok: results.flatMap((r) => r.status === "fulfilled" ? [r.value] : []),
    errors: results.flatMap((r) => r.status === "rejected" ? [r.reason] : []),
  };
}
