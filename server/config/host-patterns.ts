import { isIP } from "node:net";

/**
 * The syntax of ALLOWED_DATABASE_HOSTS patterns, checked when settings load (a bad pattern stops
 * the start). Matching hosts against them is the fleet's host guard (server/fleet/host-guard.ts).
 */

/** Why a pattern is not usable, or null when it is fine. Used to validate settings at start. */
export function hostPatternProblem(pattern: string): string | null {
  const p = pattern.trim();
  if (p === "" || p === "*") return null;
  if (p.includes("/")) {
    const [address, bits, extra] = p.split("/");
    const family = isIP(address ?? "");
    const n = Number(bits);
    if (extra !== undefined || family === 0 || !/^\d+$/.test(bits ?? "") || n > (family === 4 ? 32 : 128)) {
      return `"${p}" is not a CIDR like 10.0.0.0/8 or fd00::/8`;
    }
    return null;
  }
  const name = p.startsWith("*.") ? p.slice(2) : p;
  if (isIP(stripBrackets(name))) return p.startsWith("*.") ? `"${p}": a wildcard needs a host name` : null;
  if (!/^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/i.test(name)) {
    return `"${p}" is not a host name, *.suffix, IP address or CIDR`;
  }
  return null;
}

/** `[::1]` → `::1`: IPv6 literals may come bracketed, as in URLs. */
export const stripBrackets = (h: string) => (h.startsWith("[") && h.endsWith("]") ? h.slice(1, -1) : h);
