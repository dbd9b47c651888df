/**
 * The cross-site check for writes authenticated by the session cookie (a browser sends the cookie
 * to the console whichever site made it send the request; a bearer token it never sends on its own).
 *
 * The console's own origin comes from configuration, never from what the request says about itself:
 * `AUTH_URL` (the public URL the sign-in uses) when set, else the `Host` the request was sent to.
 * `X-Forwarded-Host`/`-Proto` name another origin only with TRUST_PROXY=true, when a proxy the
 * operator runs sets them; otherwise any client could write them.
 *
 * - `Origin` present: it must be one of those origins. `null` (sandboxed frames, privacy-sensitive
 *   redirects, `file:`) and anything that is not an http(s) origin are refused: an origin we cannot
 *   name is not ours.
 * - `Origin` absent: browsers send it on every cross-site POST, PUT, PATCH and DELETE, so its absence
 *   means a same-site browser request or a client that is not a browser. `Sec-Fetch-Site`, when
 *   present, must agree (`same-origin` or `none`).
 */

export interface OriginPolicy {
  /** AUTH_URL, the console's public URL; undefined when not configured. */
  publicUrl: string | undefined;
  trustProxy: boolean;
}

/** Why the request is refused, or null when it may go on. The reason is safe to show the caller. */
export function crossSiteProblem(headers: Headers, policy: OriginPolicy): string | null {
  const origin = headers.get("origin");
  if (origin === null) {
    const site = headers.get("sec-fetch-site");
    if (site !== null && site !== "same-origin" && site !== "none") {
      return `the browser marked the request as ${site.slice(0, 40)} (Sec-Fetch-Site): writes with the session cookie must come from the console's own pages`;
    }
    return null;
  }
  const given = parseOrigin(origin);
  if (!given) {
    return origin.trim() === "null"
      ? "the request's origin is opaque (Origin: null): writes with the session cookie must come from the console's own pages"
      : "the request's Origin header is not an http(s) origin: writes with the session cookie must come from the console's own pages";
  }
  if (ownOrigins(headers, policy).has(given)) return null;
  return `cross-site request refused: ${given} is not the console's origin`;
}

/** The origins the console answers on, by configuration. */
function ownOrigins(headers: Headers, policy: OriginPolicy): Set<string> {
  const own = new Set<string>();
  const configured = policy.publicUrl ? parseOrigin(policy.publicUrl) : null;
  if (configured) own.add(configured);
  else {
    // No public URL configured: the host the request was sent to. A browser always sends the real
    // one, so a page elsewhere cannot pass for the console. The scheme is not known here.
    const host = headers.get("host");
    if (host) for (const scheme of ["http", "https"]) addOrigin(own, `${scheme}://${host}`);
  }
  if (policy.trustProxy) {
    const host = firstValue(headers.get("x-forwarded-host"));
    const proto = firstValue(headers.get("x-forwarded-proto")) ?? (configured ? new URL(configured).protocol.slice(0, -1) : "https");
    if (host) addOrigin(own, `${proto}://${host}`);
  }
  return own;
}

const firstValue = (header: string | null) => header?.split(",")[0]?.trim() || undefined;

function addOrigin(set: Set<string>, candidate: string) {
  const origin = parseOrigin(candidate);
  if (origin) set.add(origin);
}

/** The serialized origin (`scheme://host[:port]`, default ports dropped, host lower-cased), or null. */
export function parseOrigin(value: string): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password) return null;
  return url.origin;
}
