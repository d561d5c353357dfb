/**
 * Paid tickets with MiniKit `pay`: the server issues a reference for a member and an event
 * ({@link initiatePayment}), World App pays, and the server confirms the payment with the World
 * developer portal's transaction endpoint before a ticket is issued ({@link confirmTicketPayment}).
 *
 * KV layout:
 * - `["payment_references", reference]` → {@link PaymentReference} (kept 7 days)
 * - `["payments_used", transactionId]` → ticketId (set in the claim's commit: one payment, one ticket)
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ServiceUnavailableError,
  UnprocessableError,
} from "@/core/errors.ts";
import { getEvent, PAYMENT_TOKENS, type PaymentToken } from "./events.ts";
import { normalizeWallet, walletAddressSchema, walletSchema } from "@/core/members.ts";
import { createPortalHttp, type PortalAnswer } from "@/core/portal_http.ts";

const REFERENCE_RETENTION_MS = 7 * 24 * 3600 * 1000;
const address = walletAddressSchema();

/** A payment the server asked for: who pays what to whom for which event. */
export const paymentReferenceSchema = z.object({
  reference: z.string().regex(/^[0-9a-f]{32}$/),
  wallet: walletSchema,
  eventId: z.string(),
  to: walletSchema,
  token: z.enum(PAYMENT_TOKENS),
  amount: z.string().regex(/^[1-9][0-9]*$/),
  createdAt: z.number().int(),
  /** The ticket this payment bought, once claimed. */
  ticketId: z.string().nullable(),
});
/** A stored payment reference. */
export type PaymentReference = z.infer<typeof paymentReferenceSchema>;

/** KV keys of payments. */
export const paymentKeys = {
  reference: (reference: string): Deno.KvKey => ["payment_references", reference],
  used: (transactionId: string): Deno.KvKey => ["payments_used", transactionId],
};

/** What MiniKit `pay` takes (the island passes it through unchanged). */
export interface PayCommandInput {
  reference: string;
  to: string;
  tokens: Array<{ symbol: PaymentToken; token_amount: string }>;
  description: string;
}

/**
 * Issues a payment reference for `wallet` buying a ticket to `eventId`, paid to `recipient` (the
 * app's whitelisted address), and returns the `pay` command input. Free, cancelled and ended events
 * are refused (ConflictError `event_free`, `event_cancelled`, `event_ended`, `event_sold_out`).
 */
export async function initiatePayment(
  kv: Deno.Kv,
  clock: Clock,
  input: { eventId: string; wallet: string; recipient: string },
): Promise<PayCommandInput> {
  const wallet = normalizeWallet(input.wallet);
  if (!address.safeParse(input.recipient).success) {
    throw new BadRequestError("invalid_recipient", "The payment recipient is not an address.");
  }
  const event = await getEvent(kv, input.eventId);
  if (!event.price) {
    throw new ConflictError("event_free", "This event is free; claim a ticket directly.");
  }
  if (event.status === "cancelled") {
    throw new ConflictError("event_cancelled", "This event was cancelled.");
  }
  if (clock.now() >= event.endsAt) throw new ConflictError("event_ended", "This event has ended.");
  if (event.remainingTickets === 0) {
    throw new ConflictError("event_sold_out", "This event is sold out.");
  }
  const record: PaymentReference = {
    reference: crypto.randomUUID().replaceAll("-", ""),
    wallet,
    eventId: event.id,
    to: input.recipient.toLowerCase(),
    token: event.price.token,
    amount: event.price.amount,
    createdAt: clock.now(),
    ticketId: null,
  };
  const result = await kv.atomic()
    .check({ key: paymentKeys.reference(record.reference), versionstamp: null })
    .set(paymentKeys.reference(record.reference), record, { expireIn: REFERENCE_RETENTION_MS })
    .commit();
  if (!result.ok) throw new ConflictError("payment_reference_collision", "Try again.");
  return {
    reference: record.reference,
    to: input.recipient,
    tokens: [{ symbol: record.token, token_amount: record.amount }],
    description: `Ticket: ${event.name}`.slice(0, 140),
  };
}

/** The portal's view of a MiniKit transaction (`GET /api/v2/minikit/transaction/{id}`). */
export const portalTransactionSchema = z.object({
  reference: z.string(),
  transaction_status: z.string(),
  transaction_hash: z.string().nullable().optional(),
  token: z.string(),
  token_amount: z.string(),
  to: z.string(),
  from: z.string().nullable().optional(),
  app_id: z.string().optional(),
  chain: z.string().optional(),
  timestamp: z.string().optional(),
});
/** A portal transaction. */
export type PortalTransaction = z.infer<typeof portalTransactionSchema>;

/** What the server expects a payment to be. */
export interface ExpectedPayment {
  reference: string;
  to: string;
  token: PaymentToken;
  /** Base units, decimal string. */
  amount: string;
}

/** A payment the portal confirmed as mined and matching. */
export interface ConfirmedPayment extends ExpectedPayment {
  transactionId: string;
  transactionHash: string | null;
  from: string | null;
}

/** Configuration of {@link createPaymentPortalClient}. */
export interface PaymentPortalOptions {
  /** Portal base URL, e.g. `https://developer.worldcoin.org`. */
  portalUrl: string;
  appId: string;
  /** The developer portal API key (sent as a Bearer token). */
  apiKey: string;
  /** Default 5000 ms; past it → ServiceUnavailableError `payment_portal_timeout`. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Reads and confirms MiniKit payments with the developer portal. */
export interface PaymentPortalClient {
  /** The portal's record of `transactionId` (NotFoundError `payment_not_found` when it has none). */
  getTransaction(transactionId: string): Promise<PortalTransaction>;
  /**
   * Resolves only when the transaction is `mined` and its reference, recipient, token and amount
   * equal `expected`. Pending → ConflictError `payment_pending` (ask again later); failed →
   * UnprocessableError `payment_failed`; mismatches → UnprocessableError `payment_reference_mismatch`,
   * `payment_wrong_recipient`, `payment_wrong_token`, `payment_wrong_amount`, `payment_wrong_app`.
   */
  confirmPayment(transactionId: string, expected: ExpectedPayment): Promise<ConfirmedPayment>;
}

const transactionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/);

/** Creates a portal client for one app. */
export function createPaymentPortalClient(options: PaymentPortalOptions): PaymentPortalClient {
  if (!/^app_[A-Za-z0-9_]+$/.test(options.appId)) {
    throw new RangeError("appId must look like app_…");
  }
  if (options.apiKey.length < 8) throw new RangeError("apiKey is required");
  const portal = createPortalHttp({
    codePrefix: "payment_portal",
    service: "The payment portal",
    timeoutMs: options.timeoutMs ?? 5_000,
    fetch: options.fetch ?? fetch,
  });

  /** Asks the portal for a transaction (5xx and 429 are already ServiceUnavailable). */
  function fetchTransaction(transactionId: string): Promise<PortalAnswer> {
    const url = new URL(
      `/api/v2/minikit/transaction/${encodeURIComponent(transactionId)}`,
      options.portalUrl,
    );
    url.searchParams.set("app_id", options.appId);
    url.searchParams.set("type", "payment");
    return portal.request(url, {
      headers: { authorization: `Bearer ${options.apiKey}`, accept: "application/json" },
    });
  }

  async function getTransaction(transactionId: string): Promise<PortalTransaction> {
    if (!transactionIdSchema.safeParse(transactionId).success) {
      throw new BadRequestError("invalid_transaction_id", "Not a MiniKit transaction id.");
    }
    const { status, json } = await fetchTransaction(transactionId);
    if (status === 404) {
      throw new NotFoundError("payment_not_found", "The portal has no such payment.");
    }
    if (status === 401 || status === 403) {
      throw new ServiceUnavailableError(
        "payment_portal_misconfigured",
        `The payment portal refused our API key (${status}).`,
      );
    }
    if (status < 200 || status >= 300) throw portal.unavailable(status);
    // The endpoint answers one object; older deployments wrapped it in a one-element array.
    const body = Array.isArray(json) ? (json.length === 1 ? json[0] : json.length) : json;
    if (body === 0) throw new NotFoundError("payment_not_found", "The portal has no such payment.");
    return portal.parse(portalTransactionSchema, body);
  }

  return {
    getTransaction,
    async confirmPayment(transactionId, expected) {
      const tx = await getTransaction(transactionId);
      if (tx.reference !== expected.reference) {
        throw new UnprocessableError(
          "payment_reference_mismatch",
          "The payment is for a different reference.",
        );
      }
      if (tx.app_id !== undefined && tx.app_id !== options.appId) {
        throw new UnprocessableError("payment_wrong_app", "The payment was made to another app.");
      }
      if (tx.to.toLowerCase() !== expected.to.toLowerCase()) {
        throw new UnprocessableError(
          "payment_wrong_recipient",
          "The payment went to another address.",
        );
      }
      if (tx.token !== expected.token) {
        throw new UnprocessableError("payment_wrong_token", `The payment was made in ${tx.token}.`);
      }
      if (
        !/^[0-9]+$/.test(tx.token_amount) || BigInt(tx.token_amount) !== BigInt(expected.amount)
      ) {
        throw new UnprocessableError(
          "payment_wrong_amount",
          `The payment was ${tx.token_amount} base units; ${expected.amount} are due.`,
        );
      }
      if (tx.transaction_status === "pending") {
        throw new ConflictError(
          "payment_pending",
          "The payment is not mined yet; try again shortly.",
        );
      }
      if (tx.transaction_status !== "mined") {
        throw new UnprocessableError(
          "payment_failed",
          `The payment did not go through (${tx.transaction_status}).`,
        );
      }
      return {
        ...expected,
        transactionId,
        transactionHash: tx.transaction_hash ?? null,
        from: tx.from ?? null,
      };
    },
  };
}

/**
 * Confirms the payment `wallet` made for `eventId` under `reference`: the reference must be one we
 * issued to this member for this event (NotFoundError `payment_reference_unknown`, ForbiddenError
 * `payment_reference_not_yours`), not used yet (ConflictError `payment_already_used`), and the
 * portal must report it mined and matching. Pass the result to `claimTicket`.
 */
export async function confirmTicketPayment(
  kv: Deno.Kv,
  portal: PaymentPortalClient,
  input: { eventId: string; wallet: string; reference: string; transactionId: string },
): Promise<ConfirmedPayment> {
  const wallet = normalizeWallet(input.wallet);
  const record = await readPaymentReference(kv, input.reference);
  if (!record) throw new NotFoundError("payment_reference_unknown", "Unknown payment reference.");
  if (record.wallet !== wallet || record.eventId !== input.eventId) {
    throw new ForbiddenError("payment_reference_not_yours", "This payment reference is not yours.");
  }
  if (record.ticketId !== null) {
    throw new ConflictError("payment_already_used", "This payment already bought a ticket.");
  }
  return await portal.confirmPayment(input.transactionId, {
    reference: record.reference,
    to: record.to,
    token: record.token,
    amount: record.amount,
  });
}

/** Reads a payment reference (null when unknown or malformed). */
export async function readPaymentReference(
  kv: Deno.Kv,
  reference: string,
): Promise<PaymentReference | null> {
  if (!/^[0-9a-f]{32}$/.test(reference)) return null;
  const entry = await kv.get(paymentKeys.reference(reference));
  return entry.versionstamp === null ? null : paymentReferenceSchema.parse(entry.value);
}
