import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { TIERS } from "../../domain/fleet";
import { CatalogLoadError, problemOf, type CatalogProblem } from "./catalog-error";
import { parseMigrationFile, type ParsedMigrationFile } from "./parse-migration-file";
import { orderMigrations } from "./resolve-order";
import { loadSqlParser } from "./sql-parser";
import type { Catalog, Migration, Tier } from "./types";
import { versionKey } from "../../domain/versions";

export interface CatalogFile {
  /** Path relative to the catalog folder with forward slashes: `tenant/0002_orders.sql`. */
  path: string;
  content: string | Uint8Array;
}

/**
 * Two ways to read MIGRATIONS_DIR (`<dir>/<tier>/<version>_<name>.sql`):
 *
 *  - readCatalog / assembleCatalog keep every file that loads and list the others as problems
 *    (file, line, reason). A tier with a problem is in `brokenTiers`: the planner blocks its targets,
 *    while the other tiers plan and execute as usual. This is what the console runs on, so one bad
 *    tenant file never stops an admin migration, nor the console from starting.
 *  - loadCatalog / buildCatalog are strict: the first problem is thrown as a CatalogLoadError. For
 *    tools and tests that want all or nothing.
 *
 * Top-level files (a README) and files inside the tier folders that do not end in `.sql` are
 * ignored; any other folder is a problem of every tier, so a misspelt tier never hides its
 * migrations.
 */
export async function readCatalog(dir: string): Promise<Catalog> {
  const [entries] = await Promise.all([readdir(dir, { withFileTypes: true }), loadSqlParser()]);
  const files: CatalogFile[] = [];
  const problems: CatalogProblem[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!(TIERS as readonly string[]).includes(entry.name)) {
      const reason = `folder "${entry.name}" is not a tier (expected ${TIERS.join(", ")}); its files are not loaded`;
      problems.push(problemOf(new CatalogLoadError("unknown_tier", reason, entry.name, 1), [...TIERS]));
      continue;
    }
    const names = (await readdir(path.join(dir, entry.name))).filter((n) => n.endsWith(".sql")).sort();
    for (const name of names) {
      const relative = `${entry.name}/${name}`;
      try {
        files.push({ path: relative, content: await readFile(path.join(dir, relative)) });
      } catch (error) {
        // Node's message holds the absolute path; the file is named relative to the catalog already.
        const reason = `cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`;
        problems.push(problemOf(new CatalogLoadError("unreadable", reason, relative, 1), [entry.name as Tier]));
      }
    }
  }
  return assembleCatalog(dir, files, problems);
}

/** The strict readCatalog: throws the first problem. */
export async function loadCatalog(dir: string): Promise<Catalog> {
  return strict(await readCatalog(dir));
}

/** The strict assembleCatalog: throws the first problem. Needs the SQL parser loaded. */
export function buildCatalog(dir: string, files: readonly CatalogFile[]): Catalog {
  return strict(assembleCatalog(dir, files));
}

function strict(catalog: Catalog): Catalog {
  const first = catalog.problems[0];
  if (first) throw new CatalogLoadError(first.code, first.reason, first.file, first.line);
  return catalog;
}

/**
 * Builds a catalog from file contents already in memory: parses every file, then checks versions,
 * every `requires` and the dependency graph. A file with a problem is left out, and so is whatever
 * requires it (named as a problem of its own). Needs the SQL parser loaded (`await loadSqlParser()`).
 * `problems` found before (unreadable files, stray folders) are kept, first.
 */
export function assembleCatalog(
  dir: string,
  files: readonly CatalogFile[],
  problems: readonly CatalogProblem[] = [],
): Catalog {
  const found: CatalogProblem[] = [...problems];
  const report = (error: CatalogLoadError, tiers = tiersOfPath(error.file)) => found.push(problemOf(error, tiers));
  /** Ids of files that exist but cannot be used: what requires them is broken, not unknown. */
  const broken = new Set<string>(problems.map((p) => idOfPath(p.file)).filter((id): id is string => id !== null));

  let parsed: ParsedMigrationFile[] = [];
  for (const file of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    try {
      parsed.push(parseMigrationFile(file.path, file.content));
    } catch (error) {
      report(
        error instanceof CatalogLoadError
          ? error
          : new CatalogLoadError("syntax_error", `cannot be parsed: ${(error as Error).message}`, file.path, 1),
      );
      const id = idOfPath(file.path);
      if (id) broken.add(id);
    }
  }

  // `1_a.sql` and `0001_b.sql` are one version: every file after the first of a version is reported.
  const versions = new Map<string, Migration>();
  const duplicates = new Set<Migration>();
  for (const { migration } of parsed) {
    const key = `${migration.tier}/${versionKey(migration.version)}`;
    const first = versions.get(key);
    if (!first) {
      versions.set(key, migration);
      continue;
    }
    const reason =
      first.version === migration.version
        ? `version ${migration.version} is already used by ${first.file} in tier ${migration.tier}`
        : `version ${migration.version} is the same number as ${first.version}, already used by ${first.file} in tier ${migration.tier}`;
    report(new CatalogLoadError("duplicate_version", reason, migration.file, 1));
    duplicates.add(first).add(migration);
  }
  for (const m of duplicates) broken.add(m.id);
  parsed = parsed.filter((p) => !duplicates.has(p.migration));

  // Requirements, until nothing changes: leaving a file out can break what requires it.
  for (let changed = true; changed; ) {
    changed = false;
    const loaded = new Set(parsed.map((p) => p.migration.id));
    parsed = parsed.filter(({ migration, requireLines }) => {
      const missing = migration.requires.find((req) => !loaded.has(req));
      if (missing === undefined) return true;
      const line = requireLines.get(missing) ?? 1;
      report(
        broken.has(missing)
          ? new CatalogLoadError("broken_requirement", `requires "${missing}", which has a problem of its own and is not loaded`, migration.file, line)
          : new CatalogLoadError("unknown_requirement", `requires "${missing}", which is not in the catalog`, migration.file, line),
      );
      broken.add(migration.id);
      changed = true;
      return false;
    });
  }

  const { ordered: migrations, cycle, stuck } = orderMigrations(
    parsed.map((p) => p.migration),
    new Map(parsed.map((p) => [p.migration.id, p.requireLines])),
  );
  // Every tier with a migration on or behind the cycle is affected, not only the cycle's file's.
  if (cycle) report(cycle, TIERS.filter((t) => stuck.some((m) => m.tier === t)));

  const byTier = Object.fromEntries(TIERS.map((t) => [t, migrations.filter((m) => m.tier === t)])) as Record<
    Tier,
    Migration[]
  >;
  const brokenTiers = new Set<Tier>(found.flatMap((p) => p.tiers));
  const hash = createHash("sha256");
  for (const m of migrations) hash.update(`${m.id}\0${m.checksum}\n`);
  // A catalog with problems differs from the same files without them (a plan pinned on one must
  // not execute on the other); a clean catalog keeps the checksum it always had.
  for (const p of found) hash.update(`problem\0${p.file}\0${p.line}\0${p.code}\n`);
  return {
    dir,
    migrations,
    byId: new Map(migrations.map((m) => [m.id, m])),
    byTier,
    checksum: hash.digest("hex"),
    problems: found,
    brokenTiers,
  };
}

/** The tier a file's problem keeps from planning: its folder's, or every tier outside a tier folder. */
function tiersOfPath(file: string): Tier[] {
  const [first, ...rest] = file.split("/");
  return rest.length > 0 && (TIERS as readonly string[]).includes(first!) ? [first as Tier] : [...TIERS];
}

/** `tenant/0002_orders.sql` → `tenant/0002_orders`; null when the path is not shaped like a migration. */
function idOfPath(file: string): string | null {
  const m = /^([a-z]+)\/(\d+_[A-Za-z0-9][A-Za-z0-9_-]*)\.sql$/.exec(file);
  return m ? `${m[1]}/${m[2]}` : null;
}
