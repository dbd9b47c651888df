import { beforeAll, describe, expect, it } from "vitest";
import { buildCatalog } from "./catalog";
import { describeObject, expectedObjects } from "./expected-objects";
import { loadSqlParser } from "./sql-parser";

beforeAll(async () => {
  await loadSqlParser();
});

const objectsOf = (files: Record<string, string>) => {
  const catalog = buildCatalog("memory", Object.entries(files).map(([path, content]) => ({ path, content })));
  return expectedObjects(catalog.migrations).map(describeObject);
};

describe("the objects a set of migrations leaves behind", () => {
  it("names tables with their columns, views, sequences, named indexes, types and functions", () => {
    expect(
      objectsOf({
        "tenant/0001_a.sql": `-- migrate:up
CREATE TABLE accounts (id int PRIMARY KEY, name text, CONSTRAINT named CHECK (id > 0));
CREATE INDEX accounts_name_idx ON accounts (name);
CREATE INDEX ON accounts (id);
CREATE TYPE account_status AS ENUM ('active', 'closed');
CREATE DOMAIN positive AS int CHECK (VALUE > 0);
CREATE SEQUENCE invoice_numbers;
CREATE VIEW active_accounts AS SELECT * FROM accounts;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN CREATE TABLE hidden (id int); RETURN NEW; END $$;
CREATE TABLE public.shared_lookup (code text);
DO $$ BEGIN CREATE TABLE made_in_a_block (id int); END $$;
`,
      }),
    ).toEqual([
      "table accounts",
      "column accounts.id",
      "column accounts.name",
      "index accounts_name_idx",
      "type account_status",
      "type positive",
      "sequence invoice_numbers",
      "view active_accounts",
      "function touch",
      "table public.shared_lookup",
      "column public.shared_lookup.code",
    ]);
  });

  it("follows later statements of the set: added, dropped and renamed columns, renamed and dropped tables", () => {
    expect(
      objectsOf({
        "tenant/0001_a.sql": "-- migrate:up\nCREATE TABLE accounts (id int, legacy text, nick text);\nCREATE INDEX accounts_nick_idx ON accounts (nick);\nCREATE TABLE scratch (id int);\nCREATE INDEX scratch_idx ON scratch (id);\n",
        "tenant/0002_b.sql": "-- migrate:up\nALTER TABLE accounts ADD COLUMN email text, DROP COLUMN legacy;\nALTER TABLE accounts RENAME COLUMN nick TO handle;\n",
        "tenant/0003_c.sql": "-- migrate:up\nALTER TABLE accounts RENAME TO customers;\nDROP TABLE scratch;\nALTER INDEX accounts_nick_idx RENAME TO customers_handle_idx;\n",
        "tenant/0004_d.sql": "-- migrate:up\nCREATE TYPE mood AS ENUM ('ok');\nALTER TYPE mood RENAME TO feeling;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';\nDROP FUNCTION f();\n",
      }),
    ).toEqual([
      "table customers",
      "column customers.id",
      "column customers.email",
      "column customers.handle",
      "index customers_handle_idx",
      "type feeling",
    ]);
  });

  it("only counts the migrations given: a rename of a table made earlier still expects the new name", () => {
    const catalog = buildCatalog(
      "memory",
      Object.entries({
        "tenant/0001_a.sql": "-- migrate:up\nCREATE TABLE accounts (id int);\n",
        "tenant/0002_b.sql": "-- migrate:up\nALTER TABLE accounts RENAME TO customers;\nALTER TABLE customers ADD COLUMN email text;\n",
      }).map(([path, content]) => ({ path, content })),
    );
    expect(expectedObjects([catalog.byId.get("tenant/0002_b")!]).map(describeObject)).toEqual(["table customers", "column customers.email"]);
  });
});
