/**
 * How the catalog compares versions (shared by the engine and the dashboard; no imports). A version is the digits before the first `_` of a file name;
 * versions are numbers, so `9_x` comes before `10_x`, and `1_x` and `0001_y` are the same version
 * (two such files in one tier are a duplicate). Files keep the version as written (history rows
 * store it that way); every comparison and lookup goes through versionKey.
 */

/**
 * Keys already worked out: a plan of 100,000 targets asks for the same few dozen versions millions
 * of times. Bounded, so versions written by hand cannot grow it without end.
 */
const keys = new Map<string, string>();
const KEYS_KEPT = 10_000;

/** The version without leading zeros: `0001` → `1`, `0000` → `0`. Not digits: unchanged. */
export function versionKey(version: string): string {
  const known = keys.get(version);
  if (known !== undefined) return known;
  let key = version;
  if (/^\d+$/.test(version)) {
    const stripped = version.replace(/^0+/, "");
    key = stripped === "" ? "0" : stripped;
  }
  if (keys.size >= KEYS_KEPT) keys.clear();
  keys.set(version, key);
  return key;
}

/**
 * Numeric order for digit strings of any length (a 14-digit timestamp too, beyond what a double
 * holds exactly): shorter canonical form first, then digit by digit. A version that is not all
 * digits (a history row written by another tool) sorts after every number, by text.
 */
export function compareVersions(a: string, b: string): number {
  const ka = versionKey(a);
  const kb = versionKey(b);
  const na = /^\d+$/.test(ka);
  const nb = /^\d+$/.test(kb);
  if (na !== nb) return na ? -1 : 1;
  if (na && ka.length !== kb.length) return ka.length - kb.length;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export const sameVersion = (a: string, b: string) => versionKey(a) === versionKey(b);

/**
 * The versions a target's history records, compared the catalog's way: `has("0001")` is true when
 * the row says `1`. A Set of canonical keys whose `has` takes the version as a file writes it.
 */
export class VersionSet extends Set<string> {
  constructor(versions: Iterable<string> = []) {
    super();
    for (const v of versions) super.add(versionKey(v));
  }
  override add(version: string): this {
    return super.add(versionKey(version));
  }
  override has(version: string): boolean {
    return super.has(versionKey(version));
  }
  override delete(version: string): boolean {
    return super.delete(versionKey(version));
  }
}
