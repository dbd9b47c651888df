/**
 * One copy of each distinct string: lists the console keeps (the registry's tenants, remembered
 * histories) repeat the same regions, connection ids, versions and checksums thousands of times,
 * and every row read from a database brings its own copy of each.
 */
export type Interner = <T extends string | null>(s: T) => T;

export function interner(): Interner {
  const seen = new Map<string, string>();
  return <T extends string | null>(s: T): T => {
    if (s === null) return s;
    const known = seen.get(s);
    if (known !== undefined) return known as T;
    seen.set(s, s);
    return s;
  };
}
