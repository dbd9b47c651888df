import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { TIERS } from "../../domain/fleet";
import { CatalogLoadError } from "./catalog-error";
import { parseMigrationFile } from "./parse-migration-file";
import { resolveOrder } from "./resolve-order";
import { loadSqlParser } from "./sql-parser";
import type { Catalog, Migration, Tier } from "./types";

export interface CatalogFile {
  /** Path relative to the catalog folder with forward slashes: `tenant/0002_orders.sql`. */
  path: string;
  content: string | Uint8Array;
}

/**
 * Reads MIGRATIONS_DIR: `<dir>/<tier>/<version>_<name>.sql`. Top-level files (a README) and files
 * inside the tier folders that do not end in `.sql` are ignored; any other folder is an error, so a
 * misspelt tier never hides its migrations. Throws CatalogLoadError naming the file and line.
 */
export async function loadCatalog(dir: string): Promise<Catalog> {
  const [entries] = await Promise.all([readdir(dir, { withFileTypes: true }), loadSqlParser()]);
  const files: CatalogFile[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!(TIERS as readonly string[]).includes(entry.name)) {
      throw new CatalogLoadError(
        "unknown_tier",
        `folder "${entry.name}" is not a tier (expected ${TIERS.join(", ")})`,
        entry.name,
        1,
      );
    }
    const names = (await readdir(path.join(dir, entry.name))).filter((n) => n.endsWith(".sql")).sort();
    for (const name of names) {
      const relative = `${entry.name}/${name}`;
      try {
        files.push({ path: relative, content: await readFile(path.join(dir, relative)) });
      } catch (error) {
        // Node's message holds the absolute path; the file is named relative to the catalog already.
        throw new CatalogLoadError("unreadable", `cannot read (${(error as NodeJS.ErrnoException).code ?? "error"})`, relative, 1);
      }
    }
  }
  return buildCatalog(dir, files);
}

/**
 * Builds a catalog from file contents already in memory: checks every file, every `requires` and
 * the dependency graph. Needs the SQL parser loaded (`await loadSqlParser()`).
 */
export function buildCatalog(dir: string, files: readonly CatalogFile[]): Catalog {
  const parsed = [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => parseMigrationFile(f.path, f.content));

  const versions = new Map<string, Migration>();
  for (const { migration } of parsed) {
    const key = `${migration.tier}/${migration.version}`;
    const other = versions.get(key);
    if (other) {
      throw new CatalogLoadError(
        "duplicate_version",
        `version ${migration.version} is already used by ${other.file} in tier ${migration.tier}`,
        migration.file,
        1,
      );
    }
    versions.set(key, migration);
  }

  const ids = new Set(parsed.map((p) => p.migration.id));
  for (const { migration, requireLines } of parsed) {
    for (const req of migration.requires) {
      if (!ids.has(req)) {
        throw new CatalogLoadError(
          "unknown_requirement",
          `requires "${req}", which is not in the catalog`,
          migration.file,
          requireLines.get(req) ?? 1,
        );
      }
    }
  }

  const migrations = resolveOrder(
    parsed.map((p) => p.migration),
    new Map(parsed.map((p) => [p.migration.id, p.requireLines])),
  );
  const byTier = Object.fromEntries(TIERS.map((t) => [t, migrations.filter((m) => m.tier === t)])) as Record<
    Tier,
    Migration[]
  >;
  const hash = createHash("sha256");
  for (const m of migrations) hash.update(`${m.id}\0${m.checksum}\n`);
  return {
    dir,
    migrations,
    byId: new Map(migrations.map((m) => [m.id, m])),
    byTier,
    checksum: hash.digest("hex"),
  };
}
