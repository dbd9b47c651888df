import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { getSettings } from "../../config/settings";
import { AppError } from "../../errors/app-error";
import { getLogger } from "../../logging/logger";
import { readCatalog } from "../engine/catalog";
import type { Catalog } from "../engine/types";

/**
 * The process's migration catalog: loaded once from MIGRATIONS_DIR and loaded again when a file
 * changes. Deciding "changed" costs one readdir per tier folder and one stat per file (≈ 0.3 ms for
 * the example catalog), and is done at most once per CHECK_EVERY_MS; parsing costs 100–300 ms, so
 * it only happens when the folder's signature (names, sizes, mtimes) differs.
 *
 * A file that does not load is a problem of the catalog (file, line, reason), not a failure of it:
 * the other files load, the tiers with a problem are not planned, the others are. Problems are
 * logged whenever the catalog is (re)loaded. A broken file is never replaced by its last good
 * version: the files on disk are what operators edit, and executing an older version of them would
 * be a surprise. Only a folder that cannot be listed at all leaves no catalog (callers get a 503).
 */

const CHECK_EVERY_MS = 1_000;

export interface CatalogState {
  /** The folder's absolute path: for reading files, never for a response. */
  dir: string;
  /** How responses name the folder (see catalogLabel). */
  label: string;
  /** The files that loaded, with `problems` naming the ones that did not; null when the folder cannot be read. */
  catalog: Catalog | null;
  /** Why there is no catalog at all (MIGRATIONS_DIR missing or unreadable). */
  error: { code: string; message: string; file: string | null; line: number | null } | null;
  loadedAt: Date | null;
  checkedAt: number;
  signature: string;
}

const cacheKey = Symbol.for("console.catalogStore");
type GlobalWithStore = typeof globalThis & {
  [cacheKey]?: { state: CatalogState | null; inflight: Promise<CatalogState> | null };
};

function store() {
  const g = globalThis as GlobalWithStore;
  g[cacheKey] ??= { state: null, inflight: null };
  return g[cacheKey];
}

export function catalogDir(): string {
  return path.resolve(getSettings().migrations.dir);
}

/**
 * How responses and errors name the catalog folder: relative to the console's working folder
 * (`examples/migrations`), or only its own name when it lies elsewhere. A reader of the API learns
 * which catalog is loaded, not the server's file system layout.
 */
export function catalogLabel(dir: string = catalogDir()): string {
  const relative = path.relative(process.cwd(), dir);
  if (relative === "") return ".";
  if (!relative.startsWith("..") && !path.isAbsolute(relative)) return relative.split(path.sep).join("/");
  return path.basename(dir);
}

/** `text` with the folder's absolute path replaced by its label. */
function withoutAbsolutePath(text: string, dir: string): string {
  return text.split(dir).join(catalogLabel(dir));
}

/**
 * The current catalog state (loaded, or the load error), refreshed when the files changed.
 * `maxAgeMs: 0` checks the files now (a worker that finds a checksum it does not know).
 */
export async function getCatalogState(opts: { maxAgeMs?: number } = {}): Promise<CatalogState> {
  const s = store();
  const dir = catalogDir();
  const current = s.state;
  const maxAge = opts.maxAgeMs ?? CHECK_EVERY_MS;
  if (current && current.dir === dir && Date.now() - current.checkedAt < maxAge) return current;
  s.inflight ??= refresh(dir, current).finally(() => {
    s.inflight = null;
  });
  return s.inflight;
}

/**
 * The current catalog (possibly with problems: check `brokenTiers` before using a tier), or a 503
 * when MIGRATIONS_DIR cannot be read at all.
 */
export async function getCatalogOrThrow(opts: { maxAgeMs?: number } = {}): Promise<Catalog> {
  const state = await getCatalogState(opts);
  if (state.catalog) return state.catalog;
  const error = state.error!;
  throw new AppError("service_unavailable", `the migration catalog cannot be loaded: ${error.message}`, {
    reason: "catalog_load_error",
    code: error.code,
    file: error.file,
    line: error.line,
    dir: state.label,
  });
}

/** Forget the loaded catalog (tests that swap MIGRATIONS_DIR contents within one second). */
export function resetCatalogStore(): void {
  const s = store();
  s.state = null;
}

async function refresh(dir: string, previous: CatalogState | null): Promise<CatalogState> {
  const s = store();
  const signature = await folderSignature(dir);
  if (previous && previous.dir === dir && previous.signature === signature) {
    previous.checkedAt = Date.now();
    return previous;
  }
  let next: CatalogState;
  try {
    const catalog = await readCatalog(dir);
    next = { dir, label: catalogLabel(dir), catalog, error: null, loadedAt: new Date(), checkedAt: Date.now(), signature };
  } catch (error) {
    next = { dir, label: catalogLabel(dir), catalog: null, error: describeFolderError(error, dir), loadedAt: null, checkedAt: Date.now(), signature };
  }
  s.state = next;
  logLoad(next, previous);
  return next;
}

/** One line per (re)load: what loaded, and each problem with its file, line and reason. */
function logLoad(next: CatalogState, previous: CatalogState | null) {
  const log = getLogger().child({ service: "catalog", dir: next.label });
  if (!next.catalog) {
    log.error({ error: next.error }, `migration catalog cannot be read: ${next.error?.message}`);
    return;
  }
  const { migrations, problems, brokenTiers } = next.catalog;
  if (problems.length > 0) {
    log.warn(
      { migrations: migrations.length, broken_tiers: [...brokenTiers] },
      `migration catalog loaded with ${problems.length} problem(s); tiers not planned until fixed: ${[...brokenTiers].join(", ")}\n  ${problems
        .map((p) => p.message)
        .join("\n  ")}`,
    );
  } else if (previous?.catalog?.problems.length || previous?.error) {
    log.info({ migrations: migrations.length }, "migration catalog loaded: its problems are fixed");
  } else {
    log.info({ migrations: migrations.length }, `migration catalog loaded: ${migrations.length} files`);
  }
}

function describeFolderError(error: unknown, dir: string): NonNullable<CatalogState["error"]> {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === "ENOENT") {
    return { code: "missing_dir", message: `MIGRATIONS_DIR ${catalogLabel(dir)} does not exist`, file: null, line: null };
  }
  const message = e?.code ? `MIGRATIONS_DIR ${catalogLabel(dir)} cannot be read (${e.code})` : withoutAbsolutePath(e?.message ?? String(error), dir);
  return { code: "load_failed", message, file: null, line: null };
}

/**
 * Names, sizes and modification times of everything readCatalog reads. A missing folder has its
 * own signature, so creating it later triggers a load.
 */
async function folderSignature(dir: string): Promise<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    return `unreadable:${(error as NodeJS.ErrnoException).code ?? "?"}`;
  }
  const parts: string[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(dir, entry.name);
    const names = (await readdir(folder).catch(() => [] as string[])).filter((n) => n.endsWith(".sql")).sort();
    const stats = await Promise.all(names.map((n) => stat(path.join(folder, n)).catch(() => null)));
    names.forEach((n, i) => parts.push(`${entry.name}/${n}:${stats[i]?.size ?? -1}:${stats[i]?.mtimeMs ?? -1}`));
  }
  return parts.join("|");
}
