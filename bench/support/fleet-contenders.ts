import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import type { Migration } from "../../server/migrations/engine/types";

/**
 * The baselines bench/fleet.ts measures the engine against, each applying the same tenant
 * migrations to fresh schemas with a history row per migration in the same transaction:
 *
 *  - a psql loop: one `psql -f` per schema;
 *  - dbmate (the binary the npm package ships), once per schema, its URL's search_path pointing at the
 *    schema (dbmate keeps its schema_migrations table in the first schema of the search_path);
 *  - a bare node-postgres runner in this process: a fresh session per schema, per migration BEGIN,
 *    the whole up part as one query, the history INSERT, COMMIT.
 *
 * `transaction: false` files run statement by statement outside a transaction in all three.
 */

const run = promisify(execFile);
const q = (name: string) => `"${name.replaceAll('"', '""')}"`;
const lit = (value: string) => `'${value.replaceAll("'", "''")}'`;
const HISTORY_DDL = (schema: string) =>
  `CREATE TABLE ${q(schema)}._schema_migrations (version text PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), execution_id text, duration_ms integer, applied_by text, state text NOT NULL DEFAULT 'applied')`;
const historyInsert = (schema: string, m: Migration) =>
  `INSERT INTO ${q(schema)}._schema_migrations (version, name, checksum) VALUES (${lit(m.version)}, ${lit(m.name)}, ${lit(m.checksum)})`;
const body = (m: Migration) => m.up.statements.map((s) => `${s.sql};`).join("\n");

/** Runs `work` over `items`, `parallel` at a time, in order of the items. */
export async function inParallel<T>(items: readonly T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Writes one psql script per schema into `dir`; returns their paths. */
export function writePsqlScripts(dir: string, schemas: readonly string[], migrations: readonly Migration[]): string[] {
  mkdirSync(dir, { recursive: true });
  return schemas.map((schema) => {
    const lines = ["\\set ON_ERROR_STOP on", `SET search_path TO ${q(schema)}, public;`, `${HISTORY_DDL(schema)};`];
    for (const m of migrations) {
      lines.push(m.transactional ? `BEGIN;\n${body(m)}\n${historyInsert(schema, m)};\nCOMMIT;` : `${body(m)}\n${historyInsert(schema, m)};`);
    }
    const file = path.join(dir, `${schema}.sql`);
    writeFileSync(file, lines.join("\n"));
    return file;
  });
}

export async function runPsqlLoop(databaseUrl: string, scripts: readonly string[], parallel: number): Promise<void> {
  await inParallel(scripts, parallel, async (file) => {
    await run("psql", ["-X", "-q", "-d", databaseUrl, "-f", file], { maxBuffer: 1 << 20 });
  });
}

/**
 * The catalog's files as dbmate reads them: the same `-- migrate:up` / `-- migrate:down` sections
 * (dbmate ignores the comment header), `transaction:false` moved onto the up marker where dbmate
 * looks for it.
 */
export function writeDbmateFolder(dir: string, migrations: readonly Migration[]): void {
  mkdirSync(dir, { recursive: true });
  for (const m of migrations) {
    const up = `-- migrate:up${m.transactional ? "" : " transaction:false"}\n${body(m)}\n`;
    const down = m.down ? `-- migrate:down${m.transactional ? "" : " transaction:false"}\n${m.down.statements.map((s) => `${s.sql};`).join("\n")}\n` : "-- migrate:down\n";
    writeFileSync(path.join(dir, `${m.version}_${m.name}.sql`), `${up}\n${down}`);
  }
}

const DBMATE_VERSION = "2.36.0";

/**
 * dbmate's platform binary from the npm registry (`@dbmate/<os>-<cpu>`, what the `dbmate` package
 * installs for this machine), fetched into node_modules/.cache on first use. It is not a
 * devDependency: the registry serves only some platforms' packages, and a lock file naming the
 * others would break `npm ci`. Called directly, not through the `dbmate` package's Node wrapper,
 * which would add a Node start-up (≈ 50 ms of CPU) to every schema.
 */
export function dbmateBinary(): string {
  const pkg = `@dbmate/${process.platform}-${process.arch}`;
  const prefix = path.resolve("node_modules/.cache/bench-dbmate");
  const binary = path.join(prefix, "node_modules", pkg, "bin", process.platform === "win32" ? "dbmate.exe" : "dbmate");
  if (!existsSync(binary)) {
    console.log(`installing ${pkg}@${DBMATE_VERSION} for the dbmate contender (once, into ${path.relative(process.cwd(), prefix)})`);
    mkdirSync(prefix, { recursive: true });
    execFileSync("npm", ["install", "--no-save", "--no-audit", "--no-fund", "--prefix", prefix, `${pkg}@${DBMATE_VERSION}`], { stdio: "inherit" });
  }
  return binary;
}

export async function runDbmate(databaseUrl: string, schemas: readonly string[], folder: string, parallel: number): Promise<void> {
  await inParallel(schemas, parallel, async (schema) => {
    const url = new URL(databaseUrl);
    url.searchParams.set("sslmode", "disable");
    url.searchParams.set("search_path", `${schema},public`);
    await run(dbmateBinary(), ["--url", url.toString(), "--migrations-dir", folder, "--no-dump-schema", "migrate"], { maxBuffer: 4 << 20 });
  });
}

/** The bare runner: what a careful 40-line script does, with nothing else around it. */
export async function runBare(databaseUrl: string, schemas: readonly string[], migrations: readonly Migration[], parallel: number): Promise<void> {
  const bodies = migrations.map((m) => ({ m, sql: body(m) }));
  await inParallel(schemas, parallel, async (schema) => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${q(schema)}, public`);
      await client.query(HISTORY_DDL(schema));
      for (const { m, sql } of bodies) {
        if (m.transactional) {
          await client.query("BEGIN");
          await client.query(sql);
          await client.query(historyInsert(schema, m));
          await client.query("COMMIT");
        } else {
          for (const s of m.up.statements) await client.query(s.sql);
          await client.query(historyInsert(schema, m));
        }
      }
    } finally {
      await client.end();
    }
  });
}
