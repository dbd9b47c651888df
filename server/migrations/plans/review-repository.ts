import { and, desc, eq, gt, inArray, isNotNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { executions, executionTargets } from "../../db/schema";
import type { TargetMigrationResult } from "../../domain/executions";

type Reader = Pick<Db, "select" | "selectDistinctOn">;

export interface RehearsedTargetRow {
  connectionId: string;
  connectionName: string;
  schemaName: string;
  executionId: string;
  migrations: TargetMigrationResult[];
}

/**
 * Each target's latest finished rehearsal (started within `hours`), among the databases and schemas
 * given: what the size review reads the measured tables from. One row per (database, schema).
 */
export async function latestRehearsedTargets(
  db: Reader,
  p: { connectionIds: readonly string[]; schemaNames: readonly string[]; hours: number },
): Promise<RehearsedTargetRow[]> {
  if (p.connectionIds.length === 0 || p.schemaNames.length === 0) return [];
  return db
    .selectDistinctOn([executionTargets.connectionId, executionTargets.schemaName], {
      connectionId: executionTargets.connectionId,
      connectionName: executionTargets.connectionName,
      schemaName: executionTargets.schemaName,
      executionId: executionTargets.executionId,
      migrations: executionTargets.migrations,
    })
    .from(executionTargets)
    .innerJoin(executions, eq(executions.id, executionTargets.executionId))
    .where(
      and(
        eq(executions.kind, "rehearsal"),
        gt(executions.createdAt, sql`now() - make_interval(hours => ${p.hours})`),
        inArray(executionTargets.connectionId, [...p.connectionIds]),
        inArray(executionTargets.schemaName, [...p.schemaNames]),
        isNotNull(executionTargets.completedAt),
      ),
    )
    .orderBy(executionTargets.connectionId, executionTargets.schemaName, desc(executions.createdAt));
}

/** The latest rehearsal of this plan fingerprint that completed within `hours`, or null. */
export async function latestPassedRehearsal(
  db: Reader,
  p: { fingerprint: string; hours: number },
): Promise<{ id: string; completedAt: Date } | null> {
  const [row] = await db
    .select({ id: executions.id, completedAt: executions.completedAt })
    .from(executions)
    .where(
      and(
        eq(executions.kind, "rehearsal"),
        eq(executions.planFingerprint, p.fingerprint),
        eq(executions.status, "completed"),
        gt(executions.completedAt, sql`now() - make_interval(hours => ${p.hours})`),
      ),
    )
    .orderBy(desc(executions.completedAt))
    .limit(1);
  return row?.completedAt ? { id: row.id, completedAt: row.completedAt } : null;
}
