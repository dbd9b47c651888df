/**
 * Messages and details name what went wrong, but a request can carry thousands of ids: an error
 * about all of them must not answer with all of them (10,000 unknown tenant ids were a 370 KB
 * message). These keep the first few and say how many there are.
 */

/** How many items a message names before it says "and N more". */
export const MESSAGE_ITEMS = 5;
/** How many items `details` lists; `..._count` always carries the total. */
export const DETAIL_ITEMS = 20;

/** `a, b, c, d, e and 9,995 more` (`separator` between items that hold commas themselves). */
export function listSome(items: readonly string[], max = MESSAGE_ITEMS, separator = ", "): string {
  if (items.length <= max) return items.join(separator);
  return `${items.slice(0, max).join(separator)} and ${(items.length - max).toLocaleString("en-US")} more`;
}

/** The first DETAIL_ITEMS of a list, for an error's details next to its total. */
export function firstOf<T>(items: readonly T[], max = DETAIL_ITEMS): T[] {
  return items.slice(0, max);
}
