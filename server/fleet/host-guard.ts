import { BlockList, isIP } from "node:net";
import { hostPatternProblem, stripBrackets } from "../config/host-patterns";
import { AppError } from "../errors/app-error";

/**
 * ALLOWED_DATABASE_HOSTS: which hosts the console may open connections to. A registered connection
 * is a request to make the console's network reach a host; without this list anyone with
 * databases:manage could point it at any address the console can reach (an internal service, a
 * metadata endpoint). The check runs before any network traffic, DNS lookups included.
 *
 * Patterns (comma list): `*` (anything), an exact name or IP (`db1.internal`, `10.1.2.3`, `::1`),
 * a wildcard suffix (`*.db.internal` matches `a.db.internal` and `a.b.db.internal`, not
 * `db.internal` itself) or a CIDR (`10.0.0.0/8`, `fd00::/8`) that matches IP literals.
 * Names are compared as written: a CIDR does not match a host name that resolves into it.
 */

interface HostMatcher {
  allowAll: boolean;
  names: Set<string>;
  suffixes: string[];
  addresses: BlockList;
}

export function compileHostPatterns(patterns: readonly string[]): HostMatcher {
  const matcher: HostMatcher = { allowAll: false, names: new Set(), suffixes: [], addresses: new BlockList() };
  for (const raw of patterns) {
    const p = raw.trim();
    if (!p) continue;
    const problem = hostPatternProblem(p);
    if (problem) throw new Error(`ALLOWED_DATABASE_HOSTS: ${problem}`);
    if (p === "*") matcher.allowAll = true;
    else if (p.includes("/")) {
      const [address, bits] = p.split("/") as [string, string];
      matcher.addresses.addSubnet(address, Number(bits), isIP(address) === 6 ? "ipv6" : "ipv4");
    } else if (p.startsWith("*.")) matcher.suffixes.push(normalizeName(p.slice(1)));
    else {
      const ip = stripBrackets(p);
      const family = isIP(ip);
      if (family) matcher.addresses.addAddress(ip, family === 6 ? "ipv6" : "ipv4");
      else matcher.names.add(normalizeName(p));
    }
  }
  return matcher;
}

export function isHostAllowed(host: string, matcher: HostMatcher): boolean {
  if (matcher.allowAll) return true;
  // An IPv6 zone id (`fe80::1%eth0`) picks a network interface, which no pattern can name: the
  // address alone would decide for an interface the list never mentions.
  if (host.includes("%")) return false;
  const ip = stripBrackets(host.trim());
  const family = isIP(ip);
  if (family) return matcher.addresses.check(ip, family === 6 ? "ipv6" : "ipv4");
  const name = normalizeName(host);
  if (matcher.names.has(name)) return true;
  return matcher.suffixes.some((suffix) => name.endsWith(suffix) && name.length > suffix.length);
}

let cached: { patterns: readonly string[]; matcher: HostMatcher } | undefined;

/**
 * Throws `host_not_allowed` (422) when `host` is outside the allow-list. Call it before opening a
 * socket or resolving a name. The patterns come from the caller (normally the settings).
 */
export function assertHostAllowed(host: string, patterns: readonly string[]): void {
  if (cached?.patterns !== patterns) cached = { patterns, matcher: compileHostPatterns(patterns) };
  if (isHostAllowed(host, cached.matcher)) return;
  throw new AppError(
    "host_not_allowed",
    patterns.length === 0
      ? `host ${host} is not allowed: ALLOWED_DATABASE_HOSTS is empty, so no database host is allowed yet`
      : `host ${host} is not allowed by ALLOWED_DATABASE_HOSTS`,
    { field: "host", host },
  );
}

const normalizeName = (h: string) => h.trim().toLowerCase().replace(/\.$/, "");
