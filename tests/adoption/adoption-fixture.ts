import { cpSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { resetCatalogStore } from "../../server/migrations/plans/catalog-store";
import { onDatabase } from "../support/database";
import { EXAMPLES_DIR } from "../support/example-catalog";

/**
 * A fleet that existed before the console: tenant schemas built with plain SQL (what another tool
 * or a person ran), holding the objects of the example catalog's tenant tier up to 0004, with no
 * history table. The catalog starts without the newer files (`grow()` adds them).
 */

/** The example catalog's newer tenant files: what an adopted fleet takes after its baseline. */
export const NEWER = ["tenant/0005_invoices_due_date_index.sql", "tenant/0006_accounts_plan.sql"];

export function adoptionCatalog(): { dir: string; grow: () => void; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "adopt-catalog-"));
  cpSync(EXAMPLES_DIR, dir, { recursive: true });
  for (const f of NEWER) rmSync(path.join(dir, f));
  return {
    dir,
    grow: () => {
      for (const f of NEWER) cpSync(path.join(EXAMPLES_DIR, f), path.join(dir, f));
      resetCatalogStore();
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The tenant tier up to 0004, as a hand-written script (no history table, no console). */
export function legacyTenantSql(schema: string, opts: { withoutLines?: boolean; withoutEmailIndex?: boolean } = {}): string {
  return `
    create schema if not exists "${schema}";
    set search_path = "${schema}", public;
    create table accounts (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) > 0),
      status text not null default 'active' check (status in ('active', 'inactive')),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create table contacts (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id) on delete cascade,
      full_name text not null,
      email text not null,
      phone text,
      created_at timestamptz not null default now()
    );
    create index contacts_account_idx on contacts (account_id);
    ${opts.withoutEmailIndex ? "" : "create unique index contacts_account_email_uq on contacts (account_id, lower(email));"}
    create table invoices (
      id uuid primary key default gen_random_uuid(),
      account_id uuid not null references accounts (id),
      number text not null unique,
      currency_code char(3) not null references currencies (code),
      status text not null default 'draft' check (status in ('draft', 'issued', 'paid', 'void')),
      issued_at timestamptz,
      due_date date,
      total_cents bigint not null default 0,
      created_at timestamptz not null default now()
    );
    create index invoices_account_idx on invoices (account_id);
    ${
      opts.withoutLines
        ? ""
        : `create table invoice_lines (
      id uuid primary key default gen_random_uuid(),
      invoice_id uuid not null references invoices (id) on delete cascade,
      position integer not null check (position > 0),
      description text not null,
      quantity numeric(12, 2) not null check (quantity > 0),
      unit_price_cents bigint not null check (unit_price_cents >= 0),
      amount_cents bigint generated always as (round(quantity * unit_price_cents)::bigint) stored,
      unique (invoice_id, position)
    );`
    }
    insert into accounts (name) values ('Existing customer');
    reset search_path;`;
}

export async function buildLegacySchema(url: string, schema: string, opts?: Parameters<typeof legacyTenantSql>[1]) {
  await onDatabase(url, legacyTenantSql(schema, opts));
}
