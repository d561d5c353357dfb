/**
 * A member leaving, as the events domain sees it: their tickets stay (the seats were sold and the
 * counts must stay right) but name a stable anonymous marker instead of the wallet. Each ticket moves
 * in one commit with its wallet and holder indexes, so a run stopped half-way leaves every ticket
 * whole; the next run moves the rest. Replay keys and payment references naming the wallet go.
 */
import { ConflictError } from "@/core/errors.ts";
import { commitWithRetry } from "@/core/kv.ts";
import { normalizeWallet } from "@/core/members.ts";
import { departedHolderSchema, readTicket, ticketKeys } from "./ticket_records.ts";

/** What {@link anonymiseTicketHolder} changed. */
export interface TicketAnonymisation {
  tickets: number;
}

/**
 * Replaces `wallet` by `marker` on every ticket of theirs (record, `tickets_by_wallet`,
 * `ticket_holders`), deletes their `ticket_claims` and payment references. Idempotent.
 */
export async function anonymiseTicketHolder(
  kv: Deno.Kv,
  wallet: string,
  marker: string,
): Promise<TicketAnonymisation> {
  const who = normalizeWallet(wallet);
  const anonymous = departedHolderSchema.parse(marker);
  let tickets = 0;
  for await (const entry of kv.list({ prefix: ["tickets_by_wallet", who] })) {
    const [, , eventId, ticketId] = entry.key.map(String);
    await commitWithRetry(async () => {
      const { ticket, versionstamp } = await readTicket(kv, ticketId);
      const op = kv.atomic().delete(entry.key);
      const holder = await kv.get(ticketKeys.holder(eventId, who));
      if (holder.value === ticketId) {
        op.check(holder).delete(holder.key).set(ticketKeys.holder(eventId, anonymous), ticketId);
      }
      if (ticket && ticket.wallet === who) {
        op.check({ key: ticketKeys.ticket(ticketId), versionstamp })
          .set(ticketKeys.ticket(ticketId), { ...ticket, wallet: anonymous })
          .set(ticketKeys.byWallet(anonymous, eventId, ticketId), ticketId);
      }
      return { op, value: undefined };
    }, () => new ConflictError("ticket_contended", "A ticket is being changed; retry."));
    tickets++;
  }
  for await (const entry of kv.list({ prefix: ["ticket_claims", who] })) {
    await kv.delete(entry.key);
  }
  for await (const entry of kv.list<{ wallet?: string }>({ prefix: ["payment_references"] })) {
    if (entry.value?.wallet === who) await kv.atomic().check(entry).delete(entry.key).commit();
  }
  return { tickets };
}
