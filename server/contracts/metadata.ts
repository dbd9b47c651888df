import { z } from "zod";

/**
 * Free-form `metadata` of connections, tenants and schedules: labels an operator attaches (owner,
 * cost centre, ticket). Bounded, because it is stored, returned with every listing and walked by
 * every serialiser on the way: JSON nested thousands of levels deep or a megabyte of it is not
 * metadata, and recursive code meeting it fails in ways that are hard to read.
 */
export const METADATA_MAX_DEPTH = 8;
export const METADATA_MAX_BYTES = 16 * 1024;

/** How deep `value` nests (an empty object is 1), stopping as soon as it passes `limit`. */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return deepest;
}

export const zMetadata = z
  .record(z.string(), z.unknown())
  .superRefine((value, ctx) => {
    // Depth first: measuring the size of something nested without bound is the expensive part.
    if (jsonDepth(value, METADATA_MAX_DEPTH) > METADATA_MAX_DEPTH) {
      ctx.addIssue({ code: "custom", message: `metadata must nest at most ${METADATA_MAX_DEPTH} levels deep` });
      return;
    }
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > METADATA_MAX_BYTES) {
      ctx.addIssue({ code: "custom", message: `metadata must be at most ${METADATA_MAX_BYTES} bytes as JSON (got ${bytes})` });
    }
  })
  .describe(`free-form labels: a JSON object at most ${METADATA_MAX_DEPTH} levels deep and ${METADATA_MAX_BYTES / 1024} KiB`);
