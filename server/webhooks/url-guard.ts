import { getSettings } from "../config/settings";
import { stripBrackets } from "../config/host-patterns";
import { AppError } from "../errors/app-error";
import { compileHostPatterns, isHostAllowed } from "../fleet/host-guard";

/**
 * ALLOWED_WEBHOOK_HOSTS: which hosts deliveries may be sent to. A webhook makes the console's
 * network send requests to a host an admin names; without a list, a stolen admin session could
 * point it at anything the console reaches (an internal service, a cloud metadata address). The
 * list is its own, not ALLOWED_DATABASE_HOSTS: receivers (a chat service, an incident tool, CI)
 * live elsewhere than databases, and allowing one should not allow the other.
 *
 * Same pattern syntax as the database list (server/fleet/README.md): names, `*.suffix`, addresses,
 * CIDRs, `*`. Names are matched as written, before any DNS lookup. Checked when an endpoint is
 * saved and again before every attempt (the list may have changed since). Redirects are never
 * followed, so a receiver cannot bounce a delivery to a host the list does not name.
 */

let cached: { patterns: readonly string[]; matcher: ReturnType<typeof compileHostPatterns> } | undefined;

/** The problem with sending to `url` under the current list, or null when it is allowed. */
export function webhookHostProblem(url: string): string | null {
  const patterns = getSettings().webhooks.allowedHosts;
  if (cached?.patterns !== patterns) cached = { patterns, matcher: compileHostPatterns(patterns) };
  const host = stripBrackets(new URL(url).hostname);
  if (isHostAllowed(host, cached.matcher)) return null;
  return patterns.length === 0
    ? `host ${host} is not allowed: ALLOWED_WEBHOOK_HOSTS is empty, so no webhook host is allowed yet`
    : `host ${host} is not allowed by ALLOWED_WEBHOOK_HOSTS`;
}

/** Throws `host_not_allowed` (422, naming the `url` field) when the URL's host is outside the list. */
export function assertWebhookHostAllowed(url: string): void {
  const problem = webhookHostProblem(url);
  if (!problem) return;
  throw new AppError("host_not_allowed", problem, {
    field: "url",
    host: stripBrackets(new URL(url).hostname),
    fields: [{ field: "url", message: problem, code: "host_not_allowed" }],
  });
}
