/**
 * The example catalog's tenant tier as someone wrote it by hand before the console existed: the
 * same objects (tables, columns, named indexes), no history table. Shared by the integration tests
 * and the browser tests (no test-runner imports here).
 */
export interface LegacyOptions {
  /** Leave out invoice_lines (tenant/0004). */
  withoutLines?: boolean;
  /** Leave out the unique e-mail index (tenant/0002). */
  withoutEmailIndex?: boolean;
  /** Also what tenant/0005 and tenant/0006 create: the due-date index and accounts.plan_id. */
  throughHead?: boolean;
  /** Without the foreign key to the shared currencies (when the shared tier is not applied). */
  withoutCurrencyKey?: boolean;
}

export function legacyTenantSql(schema: string, opts: LegacyOptions = {}): string {
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
      currency_code char(3) not null ${opts.withoutCurrencyKey ? "" : "references currencies (code)"},
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
    ${
      opts.throughHead
        ? `create index invoices_open_due_date_idx on invoices (due_date) where status in ('draft', 'issued');
    alter table accounts add column plan_id text not null default 'starter';`
        : ""
    }
    insert into accounts (name) values ('Existing customer');
    reset search_path;`;
}
