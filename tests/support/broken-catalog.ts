import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A catalog folder with one of each defect an operator can write, beside files that load: what
 * the console must report (file, line, reason) while it keeps planning the admin tier.
 */
export const BROKEN_CATALOG_FILES: Record<string, string> = {
  "admin/0001_plans.sql": "-- migrate:up\nCREATE TABLE plans (id text PRIMARY KEY);\n-- migrate:down\nDROP TABLE plans;\n",
  // What dbmate writes for an irreversible migration: a down marker and nothing after it.
  "admin/0002_flags.sql": "-- migrate:up\nCREATE TABLE flags (id text PRIMARY KEY);\n\n-- migrate:down",
  "tenant/0001_accounts.sql": "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE accounts;\n",
  "tenant/1_accounts_again.sql": "-- migrate:up\nCREATE TABLE accounts_again (id int);\n",
  "tenant/0002_contacts.sql": "-- migrate:up\nCREATE TABLE contacts (\n  id int,\n  name txt text\n);\n",
  "tenant/0003_empty_up.sql": "-- Nothing written yet.\n-- migrate:up\n\n-- migrate:down\nDROP TABLE nothing;\n",
  "tenant/0004_no_up.sql": "-- Orders, one day.\nCREATE TABLE orders (id int);\n",
  "tenant/0005_directive.sql": "-- transaction: sometimes\n-- migrate:up\nSELECT 1;\n",
};

/** Each defect as the catalog reports it: [code, file, line]. */
export const BROKEN_CATALOG_PROBLEMS: [string, string, number][] = [
  ["unreadable", "shared/0001_currencies.sql", 1],
  ["syntax_error", "tenant/0002_contacts.sql", 4],
  ["missing_up", "tenant/0003_empty_up.sql", 2],
  ["missing_up", "tenant/0004_no_up.sql", 1],
  ["malformed_directive", "tenant/0005_directive.sql", 1],
  ["duplicate_version", "tenant/1_accounts_again.sql", 1],
];

export function writeBrokenCatalog(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "broken-catalog-"));
  for (const [file, text] of Object.entries(BROKEN_CATALOG_FILES)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  // A folder named like a migration: listed as a file, unreadable as one.
  mkdirSync(path.join(dir, "shared", "0001_currencies.sql"), { recursive: true });
  return dir;
}
