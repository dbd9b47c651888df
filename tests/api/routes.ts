import { readdirSync } from "node:fs";
import path from "node:path";
import type { RouteHandler } from "../../server/http/route";

/**
 * The route files under app/api, found on disk (so a new route cannot be forgotten by a test that
 * walks them), and a router that sends a Request to the right handler the way Next does.
 */

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] as const;

export interface RouteFile {
  /** Path from the repository root, e.g. `app/api/databases/[id]/route.ts`. */
  file: string;
  /** The URL template in OpenAPI style, e.g. `/api/databases/{id}`. */
  template: string;
  /** A catch-all segment (`[...x]`) that no template can describe (Auth.js). */
  catchAll: boolean;
}

export function discoverRouteFiles(dir = path.join(ROOT, "app", "api")): RouteFile[] {
  const out: RouteFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...discoverRouteFiles(full));
    else if (/^route\.(ts|tsx|js)$/.test(entry.name)) {
      const rel = path.relative(ROOT, full).split(path.sep).join("/");
      const segments = rel.split("/").slice(1, -1);
      out.push({
        file: rel,
        template: `/${segments.map((s) => s.replace(/^\[(\.\.\.)?(\w+)\]$/, "{$1$2}")).join("/")}`,
        catchAll: segments.some((s) => s.startsWith("[...")),
      });
    }
  }
  return out.sort((a, b) => a.file.localeCompare(b.file));
}

export type RouteModule = Partial<Record<(typeof HTTP_METHODS)[number], RouteHandler>>;

export const importRoute = (route: RouteFile) => import(path.join(ROOT, route.file)) as Promise<RouteModule>;

/** The exported HTTP methods of a route module. */
export const methodsOf = (module: RouteModule) => HTTP_METHODS.filter((m) => typeof module[m] === "function");

/** Fills `{name}` segments with the values given. */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? `missing-${name}`));
}

function match(template: string, pathname: string): Record<string, string> | null {
  const want = template.split("/");
  const got = pathname.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    const name = /^\{(\w+)\}$/.exec(w)?.[1];
    if (name) params[name] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

/**
 * A fetch that runs requests through the real route handlers, no server in between: what the typed
 * client uses in tests. Literal segments win over parameters (`/api/tenants/discover` over `{id}`).
 */
export async function createRouter(): Promise<(request: Request) => Promise<Response>> {
  const routes = discoverRouteFiles().filter((r) => !r.catchAll);
  const loaded = await Promise.all(routes.map(async (r) => ({ ...r, module: await importRoute(r) })));
  loaded.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));
  return async (request: Request) => {
    const { pathname } = new URL(request.url);
    for (const route of loaded) {
      const params = match(route.template, pathname);
      if (!params) continue;
      const handler = route.module[request.method as (typeof HTTP_METHODS)[number]];
      if (!handler) return new Response(null, { status: 405 });
      return handler(request, { params: Promise.resolve(params) });
    }
    return new Response(null, { status: 404 });
  };
}
