/**
 * A long migration history of the kind a product accumulates over years, generated from a seed
 * (nothing copied from a real product): a SaaS back office whose tenant schema grew release by
 * release. About 160 tenant migrations of about 5 statements each, in the mix such histories have:
 *
 *   ≈ 50 % ALTER TABLE (ADD COLUMN, ADD CONSTRAINT CHECK / UNIQUE / FOREIGN KEY, ALTER COLUMN, RENAME)
 *   ≈ 17 % CREATE [UNIQUE] INDEX (btree, partial, GIN on jsonb, GIN trigram on text)
 *   ≈  8 % CREATE TABLE, foreign keys between tenant tables added separately
 *   ≈  9 % CREATE TYPE … AS ENUM and ALTER TYPE … ADD VALUE (enums extended over time)
 *   ≈ 10 % data fixes (UPDATE, INSERT … ON CONFLICT, DELETE)
 *   a few DROP INDEX / DROP TABLE, trigger and SQL functions, one DO block
 *
 * The shared tier holds the two extensions tenants use from `public` (pgcrypto, pg_trgm). Down parts
 * undo what can be undone; a migration with an irreversible statement (a data fix, ADD VALUE, a
 * DROP) gets a `-- migrate:down` section holding only a comment that says why, which the catalog
 * treats as irreversible.
 *
 *   npx tsx bench/support/long-history.ts [folder]    writes it (default bench/out/long-history)
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export type StatementKind = "alter" | "index" | "create_table" | "enum" | "data" | "drop" | "function" | "do";

export interface LongHistoryOptions {
  seed?: number;
  /** Tenant migrations to generate; default 160. */
  migrations?: number;
}

export interface LongHistory {
  /** Catalog files, paths relative to the catalog folder (`tenant/0001_init.sql`). */
  files: { path: string; content: string }[];
  stats: { migrations: number; statements: number; byKind: Record<StatementKind, number>; irreversible: number };
}

export const LONG_HISTORY_SEED = 12;

/** mulberry32: a small, fast, well-mixed 32-bit generator; the same seed gives the same history. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const chance = (p: number) => next() < p;
  const weighted = <T extends string>(table: Readonly<Record<T, number>>): T => {
    const entries = Object.entries(table) as [T, number][];
    let r = next() * entries.reduce((s, [, w]) => s + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1]![0];
  };
  return { next, int, pick, chance, weighted };
}

const TABLES = [
  "teams", "memberships", "projects", "tasks", "comments", "invoices", "invoice_lines", "payments",
  "subscriptions", "products", "prices", "coupons", "orders", "order_items", "shipments", "warehouses",
  "stock_levels", "suppliers", "purchase_orders", "contacts", "companies", "deals", "pipelines",
  "activities", "notes", "attachments", "webhooks", "webhook_deliveries", "api_keys", "audit_entries",
  "notifications", "reports", "dashboards", "campaigns", "segments", "tickets", "ticket_replies",
  "time_entries", "expenses", "budgets", "contracts", "documents", "folders", "integrations",
  "sync_runs", "imports", "exports", "locations", "devices", "invitations", "roles", "workflows",
  "workflow_steps", "forms", "form_responses", "surveys", "articles", "releases", "quotes", "leads",
];

type ColumnKind = "text" | "number" | "bool" | "time" | "date" | "json";
const COLUMNS: readonly { name: string; type: string; kind: ColumnKind }[] = [
  ...["name", "title", "description", "email", "phone", "slug", "external_id", "reference", "notes", "color",
    "locale", "timezone", "source", "label", "code", "url", "subject", "summary"].map((name) => ({ name, type: "text", kind: "text" as const })),
  { name: "country_code", type: "char(2)", kind: "text" },
  { name: "currency_code", type: "char(3)", kind: "text" },
  ...["amount_cents", "total_cents", "balance_cents"].map((name) => ({ name, type: "bigint", kind: "number" as const })),
  ...["quantity", "sort_order", "retries", "weight_grams", "duration_seconds", "seats"].map((name) => ({ name, type: "integer", kind: "number" as const })),
  { name: "priority", type: "smallint", kind: "number" },
  { name: "score", type: "numeric(6,2)", kind: "number" },
  { name: "rate", type: "numeric(12,4)", kind: "number" },
  ...["is_active", "is_archived", "is_default", "is_public", "requires_review", "email_verified"].map((name) => ({ name, type: "boolean", kind: "bool" as const })),
  ...["archived_at", "deleted_at", "due_at", "starts_at", "ends_at", "last_seen_at", "published_at", "cancelled_at", "verified_at", "synced_at"].map(
    (name) => ({ name, type: "timestamptz", kind: "time" as const }),
  ),
  ...["due_date", "valid_from", "valid_until"].map((name) => ({ name, type: "date", kind: "date" as const })),
  ...["metadata", "settings", "payload", "preferences", "custom_fields"].map((name) => ({ name, type: "jsonb", kind: "json" as const })),
];

const ENUM_VALUES: Record<string, readonly string[]> = {
  status: ["draft", "pending", "active", "paused", "completed", "cancelled", "archived", "failed", "expired", "on_hold"],
  kind: ["standard", "premium", "internal", "trial", "partner", "enterprise", "legacy"],
  channel: ["email", "sms", "push", "webhook", "in_app", "slack", "teams"],
  visibility: ["private", "team", "company", "public", "link_only"],
  source: ["manual", "import", "api", "integration", "migration", "form"],
};

interface Column {
  name: string;
  type: string;
  kind: ColumnKind | "uuid" | "enum";
  notNull: boolean;
  default: string | null;
  references?: string;
  /** Has a CHECK or FOREIGN KEY constraint of its own already. */
  constrained?: boolean;
  unique?: boolean;
}

interface Table {
  name: string;
  columns: Map<string, Column>;
  /** Seeded lookup tables take data fixes (INSERT) and are otherwise left alone. */
  lookup: boolean;
  trigger: boolean;
  /** Tables with a foreign key to this one. */
  referencedBy: Set<string>;
}

interface Enum {
  name: string;
  suffix: string;
  values: string[];
  /** Values usable in this migration (ADD VALUE'd values are not, until it commits). */
  committed: number;
  table: string;
  used: boolean;
}

interface Emitted {
  kind: StatementKind;
  sql: string;
  /** Statement that undoes this one, or null when it cannot be undone. */
  down: string | null;
  label: string;
}

const singular = (t: string) => (t.endsWith("ies") ? `${t.slice(0, -3)}y` : t.endsWith("s") ? t.slice(0, -1) : t);

export function generateLongHistory(options: LongHistoryOptions = {}): LongHistory {
  const rnd = prng(options.seed ?? LONG_HISTORY_SEED);
  const count = options.migrations ?? 160;
  const tables = new Map<string, Table>();
  const enums = new Map<string, Enum>();
  /** Every name in the schema's relation and type namespace: tables, indexes, constraint indexes, types. */
  const names = new Set<string>();
  const indexes: { name: string; table: string }[] = [];
  const functions = new Set<string>();
  const settingKeys: string[] = [];
  const tagNames: string[] = [];
  const remaining = [...TABLES];
  let counter = 0;
  let doBlockDone = false;

  const unique = (base: string) => {
    let n = base.slice(0, 63);
    for (let i = 2; names.has(n); i++) n = `${base.slice(0, 60)}_${i}`;
    names.add(n);
    return n;
  };
  /** `base`, or `base_2`, `base_3`… whichever the table does not have yet. */
  const freeColumn = (t: Table, base: string) => {
    let n = base;
    for (let i = 2; t.columns.has(n); i++) n = `${base}_${i}`;
    return n;
  };
  const userTables = () => [...tables.values()].filter((t) => !t.lookup);
  const col = (name: string, type: string, kind: Column["kind"], notNull = false, dflt: string | null = null): Column => ({
    name,
    type,
    kind,
    notNull,
    default: dflt,
  });
  const defaultFor = (kind: ColumnKind) =>
    ({ text: "''", number: "0", bool: "false", time: "now()", date: "CURRENT_DATE", json: "'{}'::jsonb" })[kind];
  const columnDef = (c: Column) =>
    `${c.name} ${c.type}${c.notNull ? " NOT NULL" : ""}${c.default !== null ? ` DEFAULT ${c.default}` : ""}`;

  // --- statement makers; each returns null when the schema offers nothing to do it on ---------------

  const createTable = (focus: { table?: Table }, name?: string, lookup = false): Emitted | null => {
    const tname = name ?? (remaining.length > 0 ? remaining.shift()! : unique(`${rnd.pick(TABLES)}_archive`));
    names.add(tname);
    names.add(`${tname}_pkey`);
    const t: Table = { name: tname, columns: new Map(), lookup, trigger: false, referencedBy: new Set() };
    t.columns.set("id", col("id", "uuid", "uuid", true, "gen_random_uuid()"));
    const parent = userTables().length > 0 && rnd.chance(0.7) ? rnd.pick(userTables()) : undefined;
    if (parent) {
      const c = col(`${singular(parent.name)}_id`, "uuid", "uuid", rnd.chance(0.6));
      c.references = parent.name;
      t.columns.set(c.name, c);
    }
    for (const spec of shuffled(COLUMNS).slice(0, rnd.int(2, 6))) {
      const notNull = spec.kind !== "time" && spec.kind !== "date" && rnd.chance(0.35);
      t.columns.set(spec.name, col(spec.name, spec.type, spec.kind, notNull, notNull ? defaultFor(spec.kind) : null));
    }
    t.columns.set("created_at", col("created_at", "timestamptz", "time", true, "now()"));
    t.columns.set("updated_at", col("updated_at", "timestamptz", "time", true, "now()"));
    tables.set(tname, t);
    focus.table = t;
    const lines = [...t.columns.values()].map((c) => (c.name === "id" ? "    id uuid PRIMARY KEY DEFAULT gen_random_uuid()" : `    ${columnDef(c)}`));
    return { kind: "create_table", sql: `CREATE TABLE ${tname} (\n${lines.join(",\n")}\n);`, down: `DROP TABLE ${tname};`, label: `create_${tname}` };
  };

  const shuffled = <T>(xs: readonly T[]) => {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(rnd.next() * (i + 1));
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };

  const tableFor = (focus: { table?: Table }) =>
    focus.table && !focus.table.lookup && tables.has(focus.table.name) && rnd.chance(0.6) ? focus.table : rnd.pick(userTables());

  const addColumn = (t: Table, fresh: ReadonlySet<string>): Emitted => {
    const usableEnum = [...enums.values()].find((e) => e.table === t.name && !e.used && !fresh.has(e.name));
    let c: Column;
    if (usableEnum && rnd.chance(0.8)) {
      usableEnum.used = true;
      c = col(freeColumn(t, usableEnum.suffix), usableEnum.name, "enum", true, `'${usableEnum.values[0]}'`);
    } else if (rnd.chance(0.25) && userTables().length > 1) {
      const other = rnd.pick(userTables().filter((o) => o !== t));
      const name = `${singular(other.name)}_id`;
      c = t.columns.has(name) ? col(freeColumn(t, `${name.slice(0, -3)}_ref`), "text", "text") : col(name, "uuid", "uuid");
      if (c.kind === "uuid") c.references = other.name;
    } else {
      const spec = COLUMNS.find((s) => !t.columns.has(s.name) && rnd.chance(0.15)) ?? rnd.pick(COLUMNS);
      const name = freeColumn(t, spec.name);
      const notNull = spec.kind !== "time" && spec.kind !== "date" && rnd.chance(0.3);
      c = col(name, spec.type, spec.kind, notNull, notNull || rnd.chance(0.2) ? defaultFor(spec.kind) : null);
    }
    t.columns.set(c.name, c);
    return {
      kind: "alter",
      sql: `ALTER TABLE ${t.name} ADD COLUMN ${columnDef(c)};`,
      down: `ALTER TABLE ${t.name} DROP COLUMN ${c.name};`,
      label: `add_${c.name}_to_${t.name}`,
    };
  };

  const addForeignKey = (t: Table, fresh: ReadonlySet<string>): Emitted => {
    const c = [...t.columns.values()].find((x) => x.references && !x.constrained && tables.has(x.references));
    if (!c) return addColumn(t, fresh);
    c.constrained = true;
    const target = tables.get(c.references!)!;
    target.referencedBy.add(t.name);
    const name = unique(`${t.name}_${c.name}_fkey`);
    const action = c.notNull ? rnd.pick(["CASCADE", "RESTRICT"]) : rnd.pick(["SET NULL", "CASCADE", "RESTRICT"]);
    return {
      kind: "alter",
      sql: `ALTER TABLE ${t.name} ADD CONSTRAINT ${name} FOREIGN KEY (${c.name}) REFERENCES ${target.name} (id) ON DELETE ${action} ON UPDATE CASCADE;`,
      down: `ALTER TABLE ${t.name} DROP CONSTRAINT ${name};`,
      label: `${t.name}_${c.name}_fkey`,
    };
  };

  const addCheck = (t: Table, fresh: ReadonlySet<string>): Emitted => {
    const cols = [...t.columns.values()];
    const starts = t.columns.get("starts_at");
    const ends = t.columns.get("ends_at");
    const number = cols.find((c) => c.kind === "number" && !c.constrained);
    const text = cols.find((c) => c.kind === "text" && c.type === "text" && !c.constrained);
    let expr: string;
    let label: string;
    if (starts && ends && !ends.constrained) {
      ends.constrained = true;
      expr = "ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at";
      label = "period";
    } else if (number) {
      number.constrained = true;
      expr = `${number.name} >= 0`;
      label = number.name;
    } else if (text) {
      text.constrained = true;
      expr = `char_length(${text.name}) <= ${rnd.pick([64, 120, 255, 2000])}`;
      label = text.name;
    } else return addColumn(t, fresh);
    const name = unique(`${t.name}_${label}_check`);
    return {
      kind: "alter",
      sql: `ALTER TABLE ${t.name} ADD CONSTRAINT ${name} CHECK (${expr});`,
      down: `ALTER TABLE ${t.name} DROP CONSTRAINT ${name};`,
      label: name,
    };
  };

  const addUnique = (t: Table, fresh: ReadonlySet<string>): Emitted => {
    const c = [...t.columns.values()].find((x) => x.kind === "text" && !x.unique && ["slug", "code", "external_id", "reference", "email"].includes(x.name));
    if (!c) return addColumn(t, fresh);
    c.unique = true;
    const name = unique(`${t.name}_${c.name}_key`);
    return {
      kind: "alter",
      sql: `ALTER TABLE ${t.name} ADD CONSTRAINT ${name} UNIQUE (${c.name});`,
      down: `ALTER TABLE ${t.name} DROP CONSTRAINT ${name};`,
      label: name,
    };
  };

  const alterColumn = (t: Table, fresh: ReadonlySet<string>): Emitted => {
    const candidates = [...t.columns.values()].filter((c) => !["id", "created_at", "updated_at"].includes(c.name) && c.kind !== "enum");
    if (candidates.length === 0) return addColumn(t, fresh);
    const c = rnd.pick(candidates);
    const at = `ALTER TABLE ${t.name} ALTER COLUMN ${c.name}`;
    const move = rnd.weighted({ setDefault: 3, notNull: 3, widen: 1, rename: 1 });
    if (move === "rename" && c.kind !== "uuid") {
      const to = freeColumn(t, `legacy_${c.name}`);
      t.columns.delete(c.name);
      const renamed = { ...c, name: to };
      t.columns.set(to, renamed);
      return {
        kind: "alter",
        sql: `ALTER TABLE ${t.name} RENAME COLUMN ${c.name} TO ${to};`,
        down: `ALTER TABLE ${t.name} RENAME COLUMN ${to} TO ${c.name};`,
        label: `rename_${t.name}_${c.name}`,
      };
    }
    if (move === "widen" && c.type === "integer") {
      c.type = "bigint";
      return { kind: "alter", sql: `${at} TYPE bigint;`, down: `${at} TYPE integer;`, label: `widen_${t.name}_${c.name}` };
    }
    if (move === "notNull" && c.kind !== "uuid") {
      c.notNull = !c.notNull;
      return c.notNull
        ? { kind: "alter", sql: `${at} SET NOT NULL;`, down: `${at} DROP NOT NULL;`, label: `require_${t.name}_${c.name}` }
        : { kind: "alter", sql: `${at} DROP NOT NULL;`, down: `${at} SET NOT NULL;`, label: `optional_${t.name}_${c.name}` };
    }
    if (c.kind === "uuid") return addForeignKey(t, fresh);
    const before = c.default;
    c.default = before === null ? defaultFor(c.kind as ColumnKind) : null;
    return c.default !== null
      ? { kind: "alter", sql: `${at} SET DEFAULT ${c.default};`, down: `${at} DROP DEFAULT;`, label: `default_${t.name}_${c.name}` }
      : { kind: "alter", sql: `${at} DROP DEFAULT;`, down: `${at} SET DEFAULT ${before};`, label: `no_default_${t.name}_${c.name}` };
  };

  const alter = (focus: { table?: Table }, fresh: ReadonlySet<string>): Emitted => {
    const t = tableFor(focus);
    const move = rnd.weighted({ column: 45, fk: 22, check: 10, unique: 5, column_change: 18 });
    if (move === "fk") return addForeignKey(t, fresh);
    if (move === "check") return addCheck(t, fresh);
    if (move === "unique") return addUnique(t, fresh);
    if (move === "column_change") return alterColumn(t, fresh);
    return addColumn(t, fresh);
  };

  const createIndex = (focus: { table?: Table }): Emitted => {
    const t = tableFor(focus);
    const cols = [...t.columns.values()].filter((c) => c.name !== "id");
    const fk = cols.find((c) => c.kind === "uuid");
    const text = cols.filter((c) => c.kind === "text" && c.type === "text");
    const json = cols.find((c) => c.kind === "json");
    const shape = rnd.weighted({ fk: 4, composite: 2, unique: 2, partial: 2, trigram: 2, json: 1 });
    let using = "";
    let keys: string;
    let uniqueIndex = false;
    let where = "";
    let label: string;
    if (shape === "trigram" && text.length > 0) {
      const c = rnd.pick(text);
      using = " USING gin";
      keys = `${c.name} gin_trgm_ops`;
      label = `${c.name}_trgm`;
    } else if (shape === "json" && json) {
      using = " USING gin";
      keys = json.name;
      label = json.name;
    } else if (shape === "unique" && text.length > 0) {
      const c = rnd.pick(text);
      uniqueIndex = true;
      keys = c.name;
      label = `${c.name}_unique`;
      if (t.columns.has("deleted_at")) where = " WHERE deleted_at IS NULL";
    } else if (shape === "partial" && (t.columns.has("archived_at") || t.columns.has("deleted_at"))) {
      const c = rnd.pick(cols.filter((x) => x.kind !== "json"));
      keys = c.name;
      where = ` WHERE ${t.columns.has("archived_at") ? "archived_at" : "deleted_at"} IS NULL`;
      label = `${c.name}_live`;
    } else if (shape === "composite" && fk) {
      keys = `${fk.name}, created_at DESC`;
      label = `${fk.name}_created_at`;
    } else {
      const c = fk ?? rnd.pick(cols.filter((x) => x.kind !== "json"));
      keys = c.name;
      label = c.name;
    }
    const name = unique(`${t.name}_${label}_idx`);
    indexes.push({ name, table: t.name });
    return {
      kind: "index",
      sql: `CREATE ${uniqueIndex ? "UNIQUE " : ""}INDEX ${name} ON ${t.name}${using} (${keys})${where};`,
      down: `DROP INDEX ${name};`,
      label: `index_${t.name}_${label}`,
    };
  };

  const enumStatement = (focus: { table?: Table }, fresh: Set<string>): Emitted => {
    const extendable = [...enums.values()].filter((e) => !fresh.has(e.name) && e.values.length < ENUM_VALUES[e.suffix]!.length);
    if (extendable.length > 0 && (rnd.chance(0.55) || userTables().every((t) => [...enums.values()].some((e) => e.table === t.name)))) {
      const e = rnd.pick(extendable);
      const value = ENUM_VALUES[e.suffix]![e.values.length]!;
      e.values.push(value);
      return { kind: "enum", sql: `ALTER TYPE ${e.name} ADD VALUE IF NOT EXISTS '${value}';`, down: null, label: `${e.name}_${value}` };
    }
    const t = tableFor(focus);
    const suffix = rnd.pick(Object.keys(ENUM_VALUES));
    const name = unique(`${singular(t.name)}_${suffix}`);
    const values = ENUM_VALUES[suffix]!.slice(0, 3);
    enums.set(name, { name, suffix, values: [...values], committed: values.length, table: t.name, used: false });
    fresh.add(name);
    return {
      kind: "enum",
      sql: `CREATE TYPE ${name} AS ENUM (${values.map((v) => `'${v}'`).join(", ")});`,
      down: `DROP TYPE ${name};`,
      label: `create_${name}`,
    };
  };

  const dataFix = (): Emitted => {
    const move = rnd.weighted({ update: 5, insert: 3, delete: 2 });
    if (move === "insert") {
      if (rnd.chance(0.5)) {
        const rows = Array.from({ length: rnd.int(1, 4) }, () => {
          const key = `${rnd.pick(["billing", "notifications", "security", "reports", "integrations", "ui"])}.${rnd.pick(["enabled", "limit", "retention_days", "default_view", "digest", "mode"])}_${++counter}`;
          settingKeys.push(key);
          return `('${key}', '{"value": ${rnd.int(0, 500)}}')`;
        });
        return {
          kind: "data",
          sql: `INSERT INTO settings (key, value) VALUES\n    ${rows.join(",\n    ")}\nON CONFLICT (key) DO NOTHING;`,
          down: null,
          label: "seed_settings",
        };
      }
      const rows = Array.from({ length: rnd.int(1, 5) }, () => {
        const name = `${rnd.pick(["urgent", "vip", "follow-up", "blocked", "review", "churn-risk", "renewal"])}-${++counter}`;
        tagNames.push(name);
        return `('${name}', '#${rnd.int(0, 0xffffff).toString(16).padStart(6, "0")}')`;
      });
      return { kind: "data", sql: `INSERT INTO tags (name, color) VALUES ${rows.join(", ")}\nON CONFLICT (name) DO NOTHING;`, down: null, label: "seed_tags" };
    }
    if (move === "delete") {
      if (settingKeys.length > 0 && rnd.chance(0.3)) {
        const key = settingKeys.splice(rnd.int(0, settingKeys.length - 1), 1)[0]!;
        return { kind: "data", sql: `DELETE FROM settings WHERE key = '${key}';`, down: null, label: "drop_setting" };
      }
      const t = rnd.pick(userTables());
      const soft = t.columns.has("deleted_at");
      return {
        kind: "data",
        sql: soft
          ? `DELETE FROM ${t.name} WHERE deleted_at IS NOT NULL AND deleted_at < now() - interval '${rnd.int(90, 720)} days';`
          : `DELETE FROM ${t.name} WHERE created_at < now() - interval '${rnd.int(2, 7)} years';`,
        down: null,
        label: `purge_${t.name}`,
      };
    }
    if (settingKeys.length > 0 && rnd.chance(0.2)) {
      return {
        kind: "data",
        sql: `UPDATE settings SET value = value || '{"migrated": true}'::jsonb, updated_at = now() WHERE key = '${rnd.pick(settingKeys)}';`,
        down: null,
        label: "update_setting",
      };
    }
    const t = rnd.pick(userTables());
    const c = rnd.pick([...t.columns.values()].filter((x) => !["id", "created_at", "updated_at"].includes(x.name)).concat(t.columns.get("updated_at")!));
    const sets: Record<string, string> = {
      text: `${c.name} = btrim(${c.name}) WHERE ${c.name} <> btrim(${c.name})`,
      number: `${c.name} = 0 WHERE ${c.name} IS NULL`,
      bool: `${c.name} = false WHERE ${c.name} IS NULL`,
      time: `${c.name} = created_at WHERE ${c.name} IS NULL`,
      date: `${c.name} = created_at::date WHERE ${c.name} IS NULL`,
      json: `${c.name} = coalesce(${c.name}, '{}'::jsonb) || '{"backfilled": true}'::jsonb WHERE ${c.name} IS NULL OR NOT (${c.name} ? 'backfilled')`,
      uuid: `${c.name} = NULL WHERE ${c.name} IS NOT NULL AND created_at < now() - interval '10 years'`,
    };
    let set = sets[c.kind];
    if (c.kind === "enum") {
      const e = enums.get(c.type)!;
      set = `${c.name} = '${e.values[0]}' WHERE ${c.name} = '${e.values[Math.min(e.committed, e.values.length) - 1]}'`;
    }
    if (c.kind === "uuid" && c.notNull) set = `updated_at = now() WHERE ${c.name} IS NULL`;
    return { kind: "data", sql: `UPDATE ${t.name} SET ${set};`, down: null, label: `backfill_${t.name}_${c.name}` };
  };

  const drop = (focus: { table?: Table }, fresh: ReadonlySet<string>): Emitted => {
    const droppable = userTables().filter((t) => t.referencedBy.size === 0 && t !== focus.table && t.name !== "accounts" && t.name !== "users");
    if (droppable.length > 0 && userTables().length > 12 && rnd.chance(0.3)) {
      const t = rnd.pick(droppable);
      tables.delete(t.name);
      for (const other of tables.values()) other.referencedBy.delete(t.name);
      for (const other of tables.values()) for (const c of other.columns.values()) if (c.references === t.name) delete c.references;
      for (let i = indexes.length - 1; i >= 0; i--) if (indexes[i]!.table === t.name) indexes.splice(i, 1);
      for (const e of enums.values()) if (e.table === t.name) e.used = true;
      return { kind: "drop", sql: `DROP TABLE IF EXISTS ${t.name};`, down: null, label: `drop_${t.name}` };
    }
    if (indexes.length > 0) {
      const [index] = indexes.splice(rnd.int(0, indexes.length - 1), 1);
      return { kind: "drop", sql: `DROP INDEX IF EXISTS ${index!.name};`, down: null, label: `drop_${index!.name}` };
    }
    return addColumn(tableFor(focus), fresh);
  };

  const fn = (focus: { table?: Table }): Emitted => {
    if (!functions.has("set_updated_at")) {
      functions.add("set_updated_at");
      return {
        kind: "function",
        sql: `CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger\nLANGUAGE plpgsql AS $$\nBEGIN\n    NEW.updated_at := now();\n    RETURN NEW;\nEND;\n$$;`,
        down: "DROP FUNCTION set_updated_at();",
        label: "set_updated_at",
      };
    }
    if (!functions.has("token_digest")) {
      functions.add("token_digest");
      // pgcrypto's digest(), from the shared tier's public schema through search_path.
      return {
        kind: "function",
        sql: `CREATE OR REPLACE FUNCTION token_digest(token text) RETURNS text\nLANGUAGE sql IMMUTABLE STRICT AS $$\n    SELECT encode(digest(token, 'sha256'), 'hex')\n$$;`,
        down: "DROP FUNCTION token_digest(text);",
        label: "token_digest",
      };
    }
    const bare = userTables().find((t) => !t.trigger && (t === focus.table || rnd.chance(0.3)));
    if (bare && rnd.chance(0.75)) {
      bare.trigger = true;
      const name = `${bare.name}_set_updated_at`;
      return {
        kind: "function",
        sql: `CREATE TRIGGER ${name} BEFORE UPDATE ON ${bare.name}\n    FOR EACH ROW EXECUTE FUNCTION set_updated_at();`,
        down: `DROP TRIGGER ${name} ON ${bare.name};`,
        label: `${bare.name}_updated_at_trigger`,
      };
    }
    const t = tableFor(focus);
    const name = `${singular(t.name)}_age_days_${++counter}`;
    functions.add(name);
    return {
      kind: "function",
      sql: `CREATE OR REPLACE FUNCTION ${name}(created timestamptz) RETURNS integer\nLANGUAGE sql STABLE AS $$\n    SELECT (CURRENT_DATE - created::date)\n$$;`,
      down: `DROP FUNCTION ${name}(timestamptz);`,
      label: name,
    };
  };

  const doBlock = (): Emitted => {
    doBlockDone = true;
    const name = unique("delivery_state");
    const values = ["queued", "sent", "delivered", "bounced"];
    enums.set(name, { name, suffix: "status", values, committed: 0, table: "", used: true });
    return {
      kind: "do",
      sql: `DO $$\nBEGIN\n    IF NOT EXISTS (\n        SELECT 1 FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace\n         WHERE t.typname = '${name}' AND n.nspname = current_schema()\n    ) THEN\n        CREATE TYPE ${name} AS ENUM (${values.map((v) => `'${v}'`).join(", ")});\n    END IF;\nEND\n$$;`,
      down: null,
      label: `ensure_${name}`,
    };
  };

  // --- the history --------------------------------------------------------------------------------

  const files: LongHistory["files"] = [];
  const byKind: Record<StatementKind, number> = { alter: 0, index: 0, create_table: 0, enum: 0, data: 0, drop: 0, function: 0, do: 0 };
  let irreversible = 0;
  let statements = 0;

  files.push({
    path: "shared/0001_extensions.sql",
    content: [
      "-- Extensions every tenant schema of the region uses through search_path (tenant schema, then public).",
      "",
      "-- migrate:up",
      "CREATE EXTENSION IF NOT EXISTS pgcrypto;",
      "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
      "",
      "-- migrate:down",
      "DROP EXTENSION IF EXISTS pg_trgm;",
      "DROP EXTENSION IF EXISTS pgcrypto;",
      "",
    ].join("\n"),
  });

  const SIZES = { 1: 12, 2: 12, 3: 12, 4: 12, 5: 12, 6: 10, 7: 8, 8: 7, 9: 5, 10: 4, 12: 3, 15: 3 } as const;
  for (let m = 0; m < count; m++) {
    const focus: { table?: Table } = {};
    const fresh = new Set<string>();
    const emitted: Emitted[] = [];
    if (m === 0) {
      // The first release: the core tables and the seeded lookups.
      emitted.push(createTable(focus, "accounts")!, createTable(focus, "users")!);
      emitted.push(createTable(focus, "settings", true)!, createTable(focus, "tags", true)!);
      const settings = tables.get("settings")!;
      settings.columns.clear();
      const tags = tables.get("tags")!;
      tags.columns.clear();
      emitted[2] = {
        kind: "create_table",
        sql: "CREATE TABLE settings (\n    key text PRIMARY KEY,\n    value jsonb NOT NULL DEFAULT '{}'::jsonb,\n    updated_at timestamptz NOT NULL DEFAULT now()\n);",
        down: "DROP TABLE settings;",
        label: "create_settings",
      };
      emitted[3] = {
        kind: "create_table",
        sql: "CREATE TABLE tags (\n    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),\n    name text NOT NULL UNIQUE,\n    color text,\n    created_at timestamptz NOT NULL DEFAULT now()\n);",
        down: "DROP TABLE tags;",
        label: "create_tags",
      };
      names.add("tags_name_key");
      focus.table = tables.get("users");
      emitted.push(addForeignKey(tables.get("users")!, fresh));
      emitted[0]!.label = "init";
    } else {
      const size = Number(rnd.weighted(Object.fromEntries(Object.entries(SIZES)) as Record<string, number>));
      const doHere = !doBlockDone && m >= Math.floor(count * 0.6);
      for (let s = 0; s < size; s++) {
        if (doHere && s === 0) {
          emitted.push(doBlock());
          continue;
        }
        const kind = userTables().length < 4 ? "create_table" : rnd.weighted({ alter: 52, index: 17, create_table: 8, enum: 10, data: 10.5, drop: 2, function: 3 });
        if (kind === "create_table") emitted.push(createTable(focus)!);
        else if (kind === "alter") emitted.push(alter(focus, fresh));
        else if (kind === "index") emitted.push(createIndex(focus));
        else if (kind === "enum") emitted.push(enumStatement(focus, fresh));
        else if (kind === "data") emitted.push(dataFix());
        else if (kind === "drop") emitted.push(drop(focus, fresh));
        else emitted.push(fn(focus));
      }
    }
    for (const e of enums.values()) e.committed = e.values.length;
    for (const e of emitted) byKind[e.kind]++;
    statements += emitted.length;
    const reversible = emitted.every((e) => e.down !== null);
    if (!reversible) irreversible++;
    const version = String(m + 1).padStart(4, "0");
    const name = emitted[0]!.label.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 60);
    const header = m === 0 ? ["-- requires: shared/0001_extensions", "-- The first release: accounts, their users, settings and tags."] : [`-- Release ${m + 1}.`];
    files.push({
      path: `tenant/${version}_${name}.sql`,
      content: [
        ...header,
        "",
        "-- migrate:up",
        emitted.map((e) => e.sql).join("\n\n"),
        "",
        "-- migrate:down",
        reversible ? emitted.map((e) => e.down).reverse().join("\n") : `-- irreversible: ${irreversibleReason(emitted)}`,
        "",
      ].join("\n"),
    });
  }
  return { files, stats: { migrations: count, statements, byKind, irreversible } };
}

function irreversibleReason(emitted: readonly Emitted[]): string {
  const kinds = new Set(emitted.filter((e) => e.down === null).map((e) => e.kind));
  const why = { data: "a data fix", enum: "ALTER TYPE … ADD VALUE", drop: "a DROP", do: "a DO block" } as Partial<Record<StatementKind, string>>;
  return `${[...kinds].map((k) => why[k] ?? k).join(", ")} cannot be undone`;
}

/** Writes the generated catalog into `dir` (emptied first); returns its statistics. */
export function writeLongHistory(dir: string, options: LongHistoryOptions = {}): LongHistory["stats"] {
  const history = generateLongHistory(options);
  rmSync(dir, { recursive: true, force: true });
  for (const f of history.files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.content);
  }
  return history.stats;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? "bench/out/long-history");
  const stats = writeLongHistory(dir, { seed: Number(process.env.BENCH_SEED ?? LONG_HISTORY_SEED) });
  console.log(`${dir}: ${stats.migrations} tenant migrations, ${stats.statements} statements`, stats.byKind);
}
