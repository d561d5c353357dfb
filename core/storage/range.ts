/** Byte ranges of `get`: validation and clamping against an object's size. */
import { BadRequestError } from "@/core/errors.ts";
import { type ByteRange, RangeNotSatisfiableError } from "./types.ts";

/** Throws `BadRequestError("invalid_range")` unless `range` has whole, ordered, non-negative bounds. */
export function assertValidRange(range: ByteRange): void {
  const { start, end } = range;
  const whole = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (!whole(start) || (end !== undefined && (!whole(end) || end < start))) {
    throw new BadRequestError(
      "invalid_range",
      `Invalid byte range ${JSON.stringify(range)}: bounds are whole numbers with start ≤ end`,
    );
  }
}

/** Clamps `range` to an object of `size` bytes; throws {@link RangeNotSatisfiableError} past the end. */
export function resolveRange(range: ByteRange, size: number): { start: number; end: number } {
  assertValidRange(range);
  if (range.start >= size) {
    throw new RangeNotSatisfiableError(
      `Range starts at byte ${range.start} but the object has ${size} bytes`,
      size,
    );
  }
  return { start: range.start, end: Math.min(range.end ?? size - 1, size - 1) };
}

/** The part of `stream` after its first `skip` bytes, `take` bytes long (the rest is cancelled). */
export function sliceStream(
  stream: ReadableStream<Uint8Array>,
  skip: number,
  take: number,
): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let toSkip = skip;
  let toTake = take;
  const finish = async (controller: ReadableStreamDefaultController<Uint8Array>) => {
    controller.close();
    await reader.cancel().catch(() => {});
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        if (toTake === 0) return await finish(controller);
        const { value, done } = await reader.read();
        if (done) {
          controller.error(new Error("the object stream ended before the requested range"));
          return;
        }
        let chunk = value;
        if (toSkip > 0) {
          const skipped = Math.min(toSkip, chunk.byteLength);
          toSkip -= skipped;
          chunk = chunk.subarray(skipped);
        }
        if (chunk.byteLength === 0) continue;
        const part = chunk.subarray(0, Math.min(toTake, chunk.byteLength));
        toTake -= part.byteLength;
        controller.enqueue(part);
        if (toTake === 0) await finish(controller);
        return;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
}
