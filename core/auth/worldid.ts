/**
 * World ID proof verification against the World developer portal, SDK line `@worldcoin/minikit-js`
 * 1.11 (idkit-core 2.x): `POST {portal}/api/v2/verify/{app_id}` with the proof, the action and the
 * signal hash. The signal is the member's wallet address, hashed exactly as the SDK's `hashToField`
 * does so client and server agree.
 */
import { type Hex, hexToBytes, keccak256, stringToBytes } from "viem";
import { z } from "zod";
import { ServiceUnavailableError, UnprocessableError } from "@/core/errors.ts";
import {
  normalizeNullifierHash,
  VERIFICATION_LEVELS,
  type VerificationLevel,
} from "@/core/members.ts";
import { createPortalHttp } from "@/core/portal_http.ts";

const hexString = (maxDigits: number) =>
  z.string().regex(new RegExp(`^0x[0-9a-fA-F]{1,${maxDigits}}$`));

/** A World ID proof as MiniKit 1.x `verify` returns it (extra fields such as `status` are dropped). */
export const worldIdProofSchema = z.object({
  proof: hexString(2_048),
  merkle_root: hexString(64),
  nullifier_hash: hexString(64),
  verification_level: z.enum(VERIFICATION_LEVELS),
});

/** A validated World ID proof. */
export type WorldIdProof = z.infer<typeof worldIdProofSchema>;

/**
 * Hashes a signal the way idkit-core's `hashToField` does: keccak256 of its bytes (a `0x…` string
 * is taken as hex bytes, anything else as UTF-8), shifted right by 8 bits to fit the SNARK field.
 */
export function hashSignalToField(signal: string): Hex {
  let bytes: Uint8Array;
  if (signal.startsWith("0x")) {
    if (!/^0x([0-9a-fA-F]{2})*$/.test(signal)) {
      throw new RangeError("a 0x-prefixed signal must be whole bytes of hex");
    }
    bytes = hexToBytes(signal as Hex);
  } else {
    bytes = stringToBytes(signal);
  }
  const field = BigInt(keccak256(bytes)) >> 8n;
  return `0x${field.toString(16).padStart(64, "0")}`;
}

const portalSuccessSchema = z.object({
  success: z.literal(true),
  nullifier_hash: hexString(64),
  action: z.string().optional(),
  uses: z.number().int().optional(),
  max_uses: z.number().int().optional(),
  created_at: z.string().optional(),
  verification_level: z.enum(VERIFICATION_LEVELS).optional(),
});

const portalErrorSchema = z.object({
  code: z.string().min(1),
  detail: z.string().optional(),
  attribute: z.string().nullable().optional(),
});

/** What the portal said about a proof it accepted (or had already accepted). */
export type PortalVerification =
  | { status: "verified"; nullifierHash: string; verificationLevel: VerificationLevel }
  | {
    status: "max_verifications_reached";
    nullifierHash: string;
    verificationLevel: VerificationLevel;
  };

/** Configuration of {@link createWorldIdPortalClient}. */
export interface WorldIdPortalOptions {
  /** Portal base URL, e.g. `https://developer.worldcoin.org`. */
  portalUrl: string;
  /** The mini-app id, `app_…`. */
  appId: string;
  /** The portal action id members verify for. */
  action: string;
  /** Give up on the portal after this long (→ ServiceUnavailable); default 5000 ms. */
  timeoutMs?: number;
  /** Injected fetch, for tests; default global fetch. */
  fetch?: typeof fetch;
}

/** Verifies World ID proofs with the developer portal. */
export interface WorldIdPortalClient {
  /**
   * Sends `proof` bound to `signal` (the wallet address) to the portal. Resolves for success and for
   * `max_verifications_reached`; rejects with UnprocessableError for a rejected proof and with
   * ServiceUnavailableError for portal outages, timeouts and unusable answers.
   */
  verify(proof: WorldIdProof, signal: string): Promise<PortalVerification>;
}

const REJECTED_PROOF_CODES: Record<string, string> = {
  invalid_proof: "worldid_invalid_proof",
  invalid_merkle_root: "worldid_invalid_merkle_root",
  verification_error: "worldid_verification_failed",
};

const MISCONFIGURATION_CODES = new Set(["invalid_action", "action_inactive", "not_found"]);

/** Creates a portal client for one app and action. */
export function createWorldIdPortalClient(options: WorldIdPortalOptions): WorldIdPortalClient {
  if (!/^app_[A-Za-z0-9_]+$/.test(options.appId)) {
    throw new RangeError("appId must look like app_…");
  }
  const endpoint = new URL(
    `/api/v2/verify/${encodeURIComponent(options.appId)}`,
    options.portalUrl,
  );
  const portal = createPortalHttp({
    codePrefix: "worldid_portal",
    service: "The World ID portal",
    timeoutMs: options.timeoutMs ?? 5_000,
    fetch: options.fetch ?? fetch,
  });

  return {
    async verify(proof, signal) {
      const sent = worldIdProofSchema.parse(proof);
      const nullifierHash = normalizeNullifierHash(sent.nullifier_hash);
      const { status, json } = await portal.request(endpoint, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({
          proof: sent.proof,
          merkle_root: sent.merkle_root,
          nullifier_hash: sent.nullifier_hash,
          verification_level: sent.verification_level,
          action: options.action,
          signal_hash: hashSignalToField(signal),
        }),
      });
      if (status >= 200 && status < 300) {
        const success = portal.parse(portalSuccessSchema, json);
        if (
          normalizeNullifierHash(success.nullifier_hash) !== nullifierHash ||
          (success.action !== undefined && success.action !== options.action)
        ) {
          throw new UnprocessableError(
            "worldid_response_mismatch",
            "The portal verified a different nullifier or action.",
          );
        }
        return {
          status: "verified",
          nullifierHash,
          verificationLevel: success.verification_level ?? sent.verification_level,
        };
      }
      const { code, detail } = portal.parse(
        portalErrorSchema,
        json,
        `The World ID portal answered ${status} without an error code.`,
      );
      if (code === "max_verifications_reached") {
        return {
          status: "max_verifications_reached",
          nullifierHash,
          verificationLevel: sent.verification_level,
        };
      }
      if (MISCONFIGURATION_CODES.has(code)) {
        throw new ServiceUnavailableError(
          "worldid_portal_misconfigured",
          `World ID is misconfigured (${code}).`,
        );
      }
      throw new UnprocessableError(
        REJECTED_PROOF_CODES[code] ?? "worldid_verification_failed",
        detail ?? `The World ID proof was rejected (${code}).`,
      );
    },
  };
}
