import type pg from "pg";
import * as fleet from "./fleet-repository";
import type { SchemaObjects } from "./schemas";

/**
 * What a tenant's schema holds, read on a session to its database: the preview of dropping it
 * lists every table with its rows, the sequences, types and functions, and whatever outside the
 * schema depends on it. Counting is exact but bounded: the first COUNTED_TABLES tables, each given
 * COUNT_TIMEOUT_MS (a tenant schema has tens of tables; one of hundreds of millions of rows shows
 * its estimate instead of holding the preview for minutes).
 */

const COUNTED_TABLES = 200;
const COUNT_TIMEOUT_MS = 2_000;

export interface SchemaInventory extends SchemaObjects {
  exists: boolean;
  totalRows: number;
  totalBytes: number;
}

const EMPTY: SchemaInventory = {
  exists: false,
  relations: [],
  sequences: [],
  types: [],
  functions: [],
  outside_dependents: [],
  totalRows: 0,
  totalBytes: 0,
};

export async function inventorySchema(client: pg.ClientBase, schemaName: string): Promise<SchemaInventory> {
  if (!(await fleet.schemaExists(client, schemaName))) return EMPTY;
  const relations = await fleet.listSchemaRelations(client, schemaName);
  // A partitioned table's rows are its partitions' (listed themselves): count each row once.
  const countable = relations.filter((r) => r.kind === "table" || r.kind === "materialized view").slice(0, COUNTED_TABLES);
  const counts = await fleet.countRows(
    client,
    schemaName,
    countable.map((r) => r.name),
    COUNT_TIMEOUT_MS,
  );
  // One session: its queries run one after the other anyway.
  const sequences = await fleet.listSchemaSequences(client, schemaName);
  const types = await fleet.listSchemaTypes(client, schemaName);
  const functions = await fleet.listSchemaRoutines(client, schemaName);
  const outside = await fleet.listOutsideDependents(client, schemaName);
  return {
    exists: true,
    relations: relations.map((r) => ({
      name: r.name,
      kind: r.kind,
      rows: counts.get(r.name) ?? null,
      rows_estimate: r.rowsEstimate,
      bytes: r.bytes,
    })),
    sequences,
    types,
    functions,
    outside_dependents: outside,
    totalRows: [...counts.values()].reduce<number>((sum, n) => sum + (n ?? 0), 0),
    totalBytes: relations.reduce((sum, r) => sum + r.bytes, 0),
  };
}
