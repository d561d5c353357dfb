import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { listMessages, openThread, readReceipts, sendMessage } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

const PageQuery = z.object({
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
}).strict();

/** The text's rules (length after trimming) are the core's; here only the shape. */
const SendBody = z.object({
  text: z.string().max(20_000),
  clientKey: z.string().max(64),
}).strict();

const PRIVATE = { "cache-control": "private, no-store" };

export const handler: Handlers<unknown, SignedInState> = {
  /** A page of the thread (newest last) and how far the other member has read; 404 unless yours. */
  async GET(req, ctx) {
    const { deps, member } = ctx.state;
    const query = parseQuery(new URL(req.url), PageQuery);
    const thread = await openThread(deps.kv, member.wallet, ctx.params.matchId);
    const [page, receipts] = await Promise.all([
      listMessages(deps.kv, thread, query),
      readReceipts(deps.kv, thread),
    ]);
    return json({
      messages: page.values,
      cursor: page.cursor || null,
      seenUpTo: receipts.theirs,
    }, { headers: PRIVATE });
  },
  /** Sends a message; a repeated `clientKey` returns the first message (200) instead of a new one (201). */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const { text, clientKey } = await readJsonAs(req, SendBody);
    const result = await sendMessage(deps.kv, deps.clock, {
      from: member.wallet,
      matchId: ctx.params.matchId,
      text,
      clientKey,
    });
    return json(result, { status: result.duplicate ? 200 : 201, headers: PRIVATE });
  },
};
