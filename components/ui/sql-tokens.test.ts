import { describe, expect, it } from "vitest";
import { tokenizeSql, type SqlToken } from "./sql-tokens";

const MIGRATION = `-- requires: shared/0001_currencies, tenant/0001_accounts
-- timeout: 600s

-- migrate:up
CREATE TABLE orders (
  id bigserial PRIMARY KEY,
  "Order Ref" text NOT NULL DEFAULT 'it''s -- not a comment',
  total numeric(12, 2) CHECK (total >= 0.5e1),
  note text DEFAULT E'line\\'s end'
);
/* outer /* inner */ still comment */
CREATE FUNCTION touch() RETURNS trigger AS $body$
BEGIN NEW.updated_at := now(); RETURN NEW; END
$body$ LANGUAGE plpgsql;
SELECT $1::int, x-1;--trailing

-- migrate:down
DROP TABLE orders;
`;

const texts = (tokens: SqlToken[], type: SqlToken["type"]) =>
  tokens.filter((token) => token.type === type).map((token) => token.text);

describe("tokenizeSql", () => {
  it("gives back the exact input when its tokens are joined, so highlighting never alters SQL", () => {
    const inputs = [MIGRATION, "", "'unterminated", "$tag$ never closed", "/* open", 'select "a""b', "E'\\"];
    for (const input of inputs) {
      expect(tokenizeSql(input).map((token) => token.text).join("")).toBe(input);
    }
  });

  it("marks migration directives apart from ordinary comments", () => {
    const tokens = tokenizeSql(MIGRATION);
    expect(texts(tokens, "directive")).toEqual([
      "-- requires: shared/0001_currencies, tenant/0001_accounts",
      "-- timeout: 600s",
      "-- migrate:up",
      "-- migrate:down",
    ]);
    expect(texts(tokens, "comment")).toEqual(["/* outer /* inner */ still comment */", "--trailing"]);
  });

  it("keeps string contents, escaped quotes and dollar-quoted bodies as single strings", () => {
    const strings = texts(tokenizeSql(MIGRATION), "string");
    expect(strings).toContain("'it''s -- not a comment'");
    expect(strings).toContain("E'line\\'s end'");
    expect(strings).toContain("$body$\nBEGIN NEW.updated_at := now(); RETURN NEW; END\n$body$");
  });

  it("recognises keywords in any case but not inside identifiers or strings", () => {
    const tokens = tokenizeSql(`create table "select" (created_at timestamptz default now()) -- drop`);
    expect(texts(tokens, "keyword")).toEqual(["create", "table", "timestamptz", "default"]);
    expect(texts(tokens, "identifier")).toEqual(['"select"']);
    expect(texts(tokens, "word")).toEqual(["created_at", "now"]);
  });

  it("tells parameters, numbers and operators apart", () => {
    const tokens = tokenizeSql("SELECT $1::int, x-1;--trailing");
    expect(texts(tokens, "parameter")).toEqual(["$1"]);
    expect(texts(tokens, "operator")).toEqual(["::", "-"]);
    expect(texts(tokens, "number")).toEqual(["1"]);
    expect(texts(tokens, "comment")).toEqual(["--trailing"]);
  });
});
