import { getDb } from "../../db/client";
import { resolveConnectionOrThrow } from "../../databases/service";
import { readSessionLocks, type SessionLockState } from "../../fleet/activity-repository";
import { withFleetClient } from "../../fleet/fleet-client";
import type { ExecutionLocks, LockBlocker, TargetLockState } from "./lock-view-schemas";
import { getExecutionRowOrThrow } from "./read-executions";
import * as repo from "./repository";
import { targetLabel } from "./target-state";

/**
 * The lock view of a running execution: for each running target, whether its migration session
 * waits on a lock, for which object and mode, and which sessions block it (pg_blocking_pids:
 * holders of a conflicting lock and sessions queued ahead), with their application name, user,
 * state, statement and transaction start and the modes they hold.
 *
 * How the target's session is found: the engine names every migration session
 * `infrastructure-console:<target id>` (application_name, set when the session opens), so one query
 * per database server reads the sessions of all the execution's running targets there. Nothing is
 * sampled unless someone asks: the execution page polls this while targets run, once a second, and
 * four times a second while one of them waits. Answers are shared for SAMPLE_REUSE_MS per
 * execution within a process, so many viewers do not multiply the queries on the fleet; a database
 * whose pool is busy is skipped for this sample (`problem`) rather than waited for.
 */

const SAMPLE_REUSE_MS = 200;
const ACQUIRE_TIMEOUT_MS = 2_000;
const MAX_TARGETS = 500;

/** The application_name of a target's migration session (at most 63 bytes: 23 + 36). */
export function migrationSessionName(targetId: string): string {
  return `infrastructure-console:${targetId}`;
}

const TARGET_ID = /^infrastructure-console:([0-9a-f-]{36})$/;

const recent = new Map<string, { at: number; answer: Promise<ExecutionLocks> }>();

export async function executionLocksOrThrow(executionId: string): Promise<ExecutionLocks> {
  const execution = await getExecutionRowOrThrow(executionId);
  if (execution.status !== "in_progress") return { execution_id: executionId, sampled_at: new Date().toISOString(), targets: [] };
  const now = Date.now();
  const cached = recent.get(executionId);
  if (cached && now - cached.at < SAMPLE_REUSE_MS) return cached.answer;
  for (const [id, entry] of recent) if (now - entry.at >= SAMPLE_REUSE_MS) recent.delete(id);
  const answer = sample(executionId);
  recent.set(executionId, { at: now, answer });
  answer.catch(() => recent.delete(executionId));
  return answer;
}

async function sample(executionId: string): Promise<ExecutionLocks> {
  const { rows: running } = await repo.listTargets(getDb(), executionId, { status: "running", limit: MAX_TARGETS, offset: 0 });
  const byConnection = new Map<string, repo.TargetRow[]>();
  for (const t of running) byConnection.set(t.connectionId, [...(byConnection.get(t.connectionId) ?? []), t]);
  const states = await Promise.all(
    [...byConnection].map(async ([connectionId, targets]) => {
      try {
        const connection = await resolveConnectionOrThrow(connectionId);
        const sessions = await withFleetClient(
          connection,
          (client) => readSessionLocks(client, targets.map((t) => migrationSessionName(t.id))),
          { acquireTimeoutMs: ACQUIRE_TIMEOUT_MS },
        );
        const byName = new Map(sessions.map((s) => [s.application_name, s]));
        return targets.map((t) => targetState(t, byName.get(migrationSessionName(t.id)) ?? null));
      } catch (error) {
        const problem = `could not sample ${targets[0]!.connectionName}: ${error instanceof Error ? error.message : String(error)}`;
        return targets.map((t) => ({ ...targetState(t, null), problem }));
      }
    }),
  );
  const targets = states.flat().sort((a, b) => Number(b.waiting) - Number(a.waiting) || a.target.localeCompare(b.target));
  return { execution_id: executionId, sampled_at: new Date().toISOString(), targets };
}

function targetState(target: repo.TargetRow, s: SessionLockState | null): TargetLockState {
  const waiting = !!s && s.wait_event_type === "Lock" && s.locktype !== null;
  return {
    target_id: target.id,
    target: targetLabel(target),
    session: s
      ? { pid: s.pid, state: s.state, wait_event_type: s.wait_event_type, wait_event: s.wait_event, query_start: iso(s.query_start) }
      : null,
    waiting,
    lock: waiting ? { type: s.locktype!, mode: s.wanted_mode!, relation: s.relation, waiting_since: iso(s.waiting_since) } : null,
    blocked_by: waiting ? s.blockers.map(blockerView) : [],
    problem: null,
  };
}

function blockerView(b: Omit<LockBlocker, "console_target_id">): LockBlocker {
  return {
    pid: b.pid,
    application_name: b.application_name || null,
    user: b.user,
    state: b.state,
    query_start: iso(b.query_start),
    xact_start: iso(b.xact_start),
    held_modes: b.held_modes ?? [],
    waiting_for_mode: b.waiting_for_mode,
    console_target_id: TARGET_ID.exec(b.application_name ?? "")?.[1] ?? null,
  };
}

const iso = (v: Date | string | null) => (v === null ? null : new Date(v).toISOString());
