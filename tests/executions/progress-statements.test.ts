import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../server/db/client";
import { progressOf } from "../../server/migrations/executions/execution-view";
import { readEvents } from "../../server/migrations/executions/events-repository";
import { estimateCompletion } from "../../server/migrations/executions/progress";
import { countFinishedWithEvents } from "../../server/migrations/executions/progress-repository";
import * as repo from "../../server/migrations/executions/repository";
import { settleTarget, startTarget } from "../../server/migrations/executions/target-state";
import { type ControlPlaneEnv, setUpControlPlane } from "../support/test-env";

/**
 * A target's start and the end of a running target are one statement each on the execution's row
 * (progress-repository.ts), which computes the progress its event carries in SQL. These hold that
 * progress equal to what progressView makes of the row as it is afterwards, the ETA equal to
 * estimateCompletion, and the statements' rules: a start only while the execution is in progress
 * and not being cancelled, each target counted once, the last one ending the execution.
 */

let env: ControlPlaneEnv;

beforeAll(async () => {
  env = await setUpControlPlane();
});

afterAll(async () => {
  await env?.close();
});

async function recordExecution(total: number, opts: { startedAt?: Date | null } = {}) {
  const db = getDb();
  const execution = await repo.insertExecution(db, {
    kind: "migrate",
    scope: "tenant",
    status: "in_progress",
    dryRun: true,
    totalTargets: total,
    executedBy: "tests",
    startedAt: opts.startedAt === undefined ? new Date(Date.now() - 60_000) : opts.startedAt,
  });
  const targets = Array.from({ length: total }, (_, i) => ({
    id: randomUUID(),
    executionId: execution.id,
    position: i,
    connectionId: randomUUID(),
    connectionName: "shared-eu",
    databaseName: "shared_eu",
    schemaName: `tenant_${i}`,
    tier: "tenant" as const,
  }));
  await repo.insertTargets(db, targets);
  return { execution, targets: await repo.allTargets(db, execution.id) };
}

const eventsOf = async (executionId: string) => readEvents(getDb(), executionId, 0, 1_000);
const known = { kind: "migrate", dryRun: true, rollout: null } as const;

describe("a target's start and end as one statement", () => {
  it("a start names the target, counts an attempt, and its event carries the row's progress", async () => {
    const { execution, targets } = await recordExecution(3);
    const started = await startTarget(execution.id, targets[1]!);
    expect(started?.attempt).toBe(1);

    const row = (await repo.findExecution(getDb(), execution.id))!;
    expect(row.currentTarget).toBe("shared-eu/tenant_1");
    const target = (await repo.findTarget(getDb(), targets[1]!.id))!;
    expect(target).toMatchObject({ status: "running", attempts: 1 });
    expect(target.startedAt).not.toBeNull();

    const [event] = await eventsOf(execution.id);
    expect(event).toMatchObject({ type: "target_started", payload: { target_id: targets[1]!.id, target: "shared-eu/tenant_1", attempt: 1 } });
    expect(event!.payload.progress).toEqual(progressOf(row));
  });

  it("a start sets the execution's start time only when it has none", async () => {
    const { execution, targets } = await recordExecution(1, { startedAt: null });
    await startTarget(execution.id, targets[0]!);
    const first = (await repo.findExecution(getDb(), execution.id))!.startedAt;
    expect(first).not.toBeNull();
    await startTarget(execution.id, targets[0]!);
    expect((await repo.findExecution(getDb(), execution.id))!.startedAt).toEqual(first);
  });

  it("nothing starts once a cancel was asked, nor in an execution not in progress, nor a target that ended", async () => {
    const { execution, targets } = await recordExecution(3);
    await repo.updateExecution(getDb(), execution.id, { cancelRequestedAt: new Date(), cancelRequestedBy: "tests" });
    expect(await startTarget(execution.id, targets[0]!)).toBeNull();

    const halted = await recordExecution(2);
    await repo.updateExecution(getDb(), halted.execution.id, { status: "halted" });
    expect(await startTarget(halted.execution.id, halted.targets[0]!)).toBeNull();

    const other = await recordExecution(2);
    await repo.transitionTarget(getDb(), other.targets[0]!.id, ["pending"], { status: "succeeded" });
    expect(await startTarget(other.execution.id, other.targets[0]!)).toBeNull();

    for (const id of [execution.id, halted.execution.id, other.execution.id]) {
      expect(await eventsOf(id)).toEqual([]);
      expect((await repo.findExecution(getDb(), id))!.currentTarget).toBeNull();
    }
    expect((await repo.findTarget(getDb(), targets[0]!.id))!).toMatchObject({ status: "pending", attempts: 0 });
  });

  it("each end is counted once, its event carries the progress (awkward fractions too), and the last one ends the execution", async () => {
    const { execution, targets } = await recordExecution(7);
    const outcomes = ["succeeded", "failed", "succeeded", "skipped", "succeeded", "succeeded", "succeeded"] as const;
    for (const [i, t] of targets.entries()) {
      await startTarget(execution.id, t);
      expect(
        await settleTarget(execution.id, t.id, ["running"], { status: outcomes[i]!, durationMs: 5, appliedCount: 1 }, [
          { type: "migration_finished", payload: { target_id: t.id, version: "0001" } },
        ], known),
      ).toBe(true);
      // A duplicate job's end finds the target settled and counts nothing.
      expect(await settleTarget(execution.id, t.id, ["running"], { status: "succeeded" }, [], known)).toBe(false);

      const row = (await repo.findExecution(getDb(), execution.id))!;
      const events = await eventsOf(execution.id);
      const finished = events.filter((e) => e.type === "target_finished");
      expect(finished).toHaveLength(i + 1);
      const last = finished.at(-1)!;
      // The target's buffered events come first, in the same statement.
      expect(events[events.indexOf(last) - 1]).toMatchObject({ type: "migration_finished", payload: { target_id: t.id } });
      expect(last.payload).toMatchObject({ target_id: t.id, status: outcomes[i], attempts: 1, duration_ms: 5, applied_count: 1 });
      if (i < targets.length - 1) {
        expect(last.payload.progress).toEqual(progressOf(row));
        expect(row.status).toBe("in_progress");
      }
    }
    const row = (await repo.findExecution(getDb(), execution.id))!;
    expect(row).toMatchObject({ status: "failed", completedTargets: 5, failedTargets: 1, skippedTargets: 1, currentTarget: null, estimatedCompletion: null });
    expect(row.completedAt).not.toBeNull();
    const events = await eventsOf(execution.id);
    expect(events.at(-1)).toMatchObject({ type: "execution_finished", payload: { status: "failed" } });
    expect(events.filter((e) => e.type === "execution_finished")).toHaveLength(1);
    expect(events.at(-2)!.payload.progress).toMatchObject({ completed_targets: 5, failed_targets: 1, skipped_targets: 1, remaining_targets: 0, completion_percentage: 100 });
  });

  it("an execution whose targets all succeed ends completed; a cancelled one cancelled", async () => {
    const ok = await recordExecution(2);
    for (const t of ok.targets) {
      await startTarget(ok.execution.id, t);
      await settleTarget(ok.execution.id, t.id, ["running"], { status: "succeeded" }, [], known);
    }
    expect((await repo.findExecution(getDb(), ok.execution.id))!).toMatchObject({ status: "completed", completedTargets: 2, errorMessage: null });

    const cancelled = await recordExecution(1);
    await startTarget(cancelled.execution.id, cancelled.targets[0]!);
    await repo.updateExecution(getDb(), cancelled.execution.id, { cancelRequestedAt: new Date(), cancelRequestedBy: "ops" });
    await settleTarget(cancelled.execution.id, cancelled.targets[0]!.id, ["running"], { status: "skipped" }, [], known);
    expect((await repo.findExecution(getDb(), cancelled.execution.id))!).toMatchObject({ status: "cancelled", skippedTargets: 1 });
  });

  it("the ETA is estimateCompletion's", async () => {
    const startedAt = new Date("2026-01-01T10:00:00.000Z");
    const { execution } = await recordExecution(9, { startedAt });
    for (const [done, now] of [
      [1, new Date("2026-01-01T10:00:07.001Z")],
      [2, new Date("2026-01-01T10:00:10.333Z")],
      [3, new Date("2026-01-01T10:01:00.000Z")],
    ] as const) {
      await countFinishedWithEvents(getDb(), { executionId: execution.id, completed: 1, failed: 0, skipped: 0, now, events: [] });
      const row = (await repo.findExecution(getDb(), execution.id))!;
      expect(row.estimatedCompletion).toEqual(estimateCompletion({ startedAt, now, done, total: 9 }));
    }
  });
});
