import { describe, expect, it } from "vitest";
import { applyExecutionEvent, applyStreamedEvents, missesStreamedEvents, type ExecutionEvent } from "./apply-execution-event";
import type { ExecutionDetail, ExecutionProgress, ExecutionTarget } from "./execution-types";

const progress = (completed: number, failed = 0, skipped = 0, total = 3): ExecutionProgress => ({
  total_targets: total,
  completed_targets: completed,
  failed_targets: failed,
  skipped_targets: skipped,
  remaining_targets: total - completed - failed - skipped,
  current_target: null,
  estimated_completion: null,
  completion_percentage: Math.round(((completed + failed + skipped) / total) * 1000) / 10,
});

const target = (id: string, status: ExecutionTarget["status"] = "pending"): ExecutionTarget => ({
  id,
  position: Number(id.slice(1)),
  database_id: "00000000-0000-0000-0000-000000000001",
  connection_name: "shared-eu",
  wave: 0,
  database_name: "shared_eu",
  schema_name: `tenant_${id}`,
  database_type: "tenant",
  region: "eu-west-1",
  tenant_id: null,
  status,
  attempts: 0,
  next_attempt_at: null,
  waiting_since: null,
  started_at: null,
  completed_at: null,
  duration_ms: null,
  depends_on: [],
  migrations: [
    { id: "tenant/0001_accounts", version: "0001", name: "accounts", tier: "tenant", checksum: "c1", status: "pending", duration_ms: null, error: null, locks: null, relations: null },
  ],
  error: null,
  waiting_for_window: null,
});

const detail = (overrides: Partial<ExecutionDetail> = {}): ExecutionDetail => ({
  id: "e1",
  batch_id: null,
  kind: "migrate",
  scope: "tenant",
  params: { region: null, tenant_ids: null, database_id: null, schema_name: null, tenant_id: null, include_providers: false },
  status: "in_progress",
  dry_run: false,
  plan_fingerprint: null,
  awaiting_approval: false,
  progress: progress(0),
  created_at: "2026-01-01T00:00:00.000Z",
  started_at: "2026-01-01T00:00:01.000Z",
  completed_at: null,
  executed_by: "operator",
  approved_by: null,
  approved_at: null,
  cancel_requested_at: null,
  cancel_requested_by: null,
  error_message: null,
  metadata: {},
  rollout: null,
  targets: [target("t1"), target("t2"), target("t3")],
  targets_page: { total: 3, limit: 1000, offset: 0 },
  plan_totals: null,
  size_review: null,
  last_event_id: 0,
  maintenance_window: { waiting_targets: 0, opens_at: null, override: null },
  ...overrides,
});

let nextId = 1;
const event = (type: string, payload: Record<string, unknown>): ExecutionEvent => ({
  id: nextId++,
  execution_id: "e1",
  type,
  created_at: "2026-01-01T00:00:05.000Z",
  payload,
});

const fold = (start: ExecutionDetail, events: ExecutionEvent[]) => events.reduce(applyExecutionEvent, start);

// What the engine emits for three targets where t2 fails with a PostgreSQL error.
const run = [
  event("target_started", { target_id: "t1", attempt: 1, progress: progress(0) }),
  event("migration_finished", { target_id: "t1", migration_id: "tenant/0001_accounts", status: "applied", duration_ms: 12 }),
  event("target_finished", { target_id: "t1", status: "succeeded", attempts: 1, duration_ms: 40, error: null, progress: progress(1) }),
  event("target_started", { target_id: "t2", attempt: 1, progress: progress(1) }),
  event("migration_finished", {
    target_id: "t2",
    migration_id: "tenant/0001_accounts",
    status: "failed",
    duration_ms: 3,
    error: { code: "42P07", message: 'relation "accounts" already exists', statement: "CREATE TABLE accounts (...)" },
  }),
  event("target_finished", {
    target_id: "t2",
    status: "failed",
    attempts: 1,
    duration_ms: 9,
    error: { code: "42P07", message: 'relation "accounts" already exists' },
    progress: progress(1, 1),
  }),
  event("target_started", { target_id: "t3", attempt: 1, progress: progress(1, 1) }),
  event("target_finished", { target_id: "t3", status: "succeeded", attempts: 1, duration_ms: 30, error: null, progress: progress(2, 1) }),
  event("execution_finished", { status: "failed", error_message: "1 of 3 targets failed", completed_at: "2026-01-01T00:00:09.000Z", progress: progress(2, 1) }),
];

type Rollout = NonNullable<ExecutionDetail["rollout"]>;
const wave = (index: number, status: Rollout["waves"][number]["status"], counts: Partial<Rollout["waves"][number]> = {}) => ({
  index,
  label: index === 0 ? "canary" : "rest",
  status,
  total: index === 0 ? 1 : 2,
  succeeded: 0,
  failed: 0,
  skipped: 0,
  accepted_failures: 0,
  starts_at: null,
  completed_at: null,
  ...counts,
});
const rollout = (waves: Rollout["waves"], extra: Partial<Rollout> = {}): Rollout => ({
  waves,
  current_wave: 0,
  soak_seconds: 0,
  halt_rule: { max_failed_targets: 0, max_failed_percent: null },
  halted: null,
  resumes: [],
  ...extra,
});

describe("applyExecutionEvent on a waved rollout", () => {
  const halted = rollout([wave(0, "halted", { failed: 1 }), wave(1, "pending")], { halted: { wave: 0, reason: "1 of 1 targets failed", at: "x" } });
  const resumed = rollout([wave(0, "running"), wave(1, "pending")], { resumes: [{ by: "operator", at: "y", wave: 0, retried: 1 }] });
  const events = [
    event("target_finished", { target_id: "t1", status: "failed", attempts: 1, error: { code: "42P07", message: "exists" }, progress: progress(0, 1), wave: 0, wave_progress: { succeeded: 0, failed: 1, skipped: 0, total: 1 } }),
    event("execution_halted", { wave: 0, reason: "1 of 1 targets failed", progress: progress(0, 1), rollout: halted }),
    event("execution_resumed", { resumed_by: "operator", wave: 0, retried: 1, retried_target_ids: ["t1"], progress: progress(0), rollout: resumed }),
    event("target_started", { target_id: "t1", attempt: 1, progress: progress(0) }),
  ];
  const start = detail({ rollout: rollout([wave(0, "running"), wave(1, "pending")]) });

  it("halts, then a resume queues the failed canary again and it runs", () => {
    const atHalt = fold(start, events.slice(0, 2));
    expect(atHalt).toMatchObject({ status: "halted", error_message: "halted: 1 of 1 targets failed" });
    expect(atHalt.rollout!.waves[0]).toMatchObject({ status: "halted", failed: 1 });
    const after = fold(start, events);
    expect(after.status).toBe("in_progress");
    expect(after.error_message).toBeNull();
    expect(after.progress.failed_targets).toBe(0);
    expect(after.targets[0]).toMatchObject({ status: "running", error: null });
  });

  it("ends on the waves the execution_finished event carries", () => {
    const done = rollout([wave(0, "completed", { succeeded: 1 }), wave(1, "completed", { succeeded: 2 })], { current_wave: 1 });
    const end = fold(fold(start, events), [event("execution_finished", { status: "completed", error_message: null, progress: progress(3), rollout: done })]);
    expect(end.status).toBe("completed");
    expect(end.rollout!.waves.map((w) => w.status)).toEqual(["completed", "completed"]);
  });

  it("a replay of the same events over the newer state changes nothing", () => {
    const after = fold(start, events);
    const ended = fold(after, [event("target_finished", { target_id: "t1", status: "succeeded", attempts: 1, error: null, progress: progress(1), wave: 0, wave_progress: { succeeded: 1, failed: 0, skipped: 0, total: 1 } })]);
    expect(fold(ended, events)).toEqual(ended);
  });
});

describe("applyExecutionEvent", () => {
  it("follows a run to its final numbers, with each target's outcome and PostgreSQL error", () => {
    const end = fold(detail(), run);
    expect(end.status).toBe("failed");
    expect(end.progress).toMatchObject({ completed_targets: 2, failed_targets: 1, remaining_targets: 0 });
    expect(end.targets.map((t) => t.status)).toEqual(["succeeded", "failed", "succeeded"]);
    expect(end.targets[1]!.error).toMatchObject({ code: "42P07" });
    expect(end.targets[1]!.migrations[0]).toMatchObject({ status: "failed", error: { statement: "CREATE TABLE accounts (...)" } });
    expect(end.targets[0]!.migrations[0]).toMatchObject({ status: "applied", duration_ms: 12 });
  });

  it("reaches the same state when a reload replays every event over a newer snapshot", () => {
    const midway = fold(detail(), run.slice(0, 6));
    const replayed = fold(midway, run);
    expect(replayed).toEqual(fold(detail(), run));
  });

  it("never moves a finished target or the progress backwards on a replayed old event", () => {
    const end = fold(detail(), run);
    const again = fold(end, [run[0]!, run[3]!]);
    expect(again.targets[0]!.status).toBe("succeeded");
    expect(again.progress.completed_targets).toBe(2);
    expect(again.status).toBe("failed");
  });

  it("marks skipped targets after a cancel and keeps finished ones", () => {
    const cancelled = fold(detail(), [
      run[0]!,
      run[1]!,
      run[2]!,
      event("cancel_requested", { requested_by: "operator", progress: progress(1) }),
      event("targets_skipped", { count: 2, reason: "cancelled", target_ids: ["t1", "t2", "t3"], progress: progress(1, 0, 2) }),
    ]);
    expect(cancelled.targets.map((t) => t.status)).toEqual(["succeeded", "skipped", "skipped"]);
    expect(cancelled.cancel_requested_by).toBe("operator");
    expect(cancelled.progress.skipped_targets).toBe(2);
  });

  it("shows a retry as pending again with its attempt and the transient error", () => {
    const retrying = fold(detail(), [
      event("target_started", { target_id: "t1", attempt: 1 }),
      event("target_retry_scheduled", { target_id: "t1", attempt: 1, next_attempt_at: "2026-01-01T00:00:10.000Z", error: { message: "connection reset", transient: true } }),
    ]);
    expect(retrying.targets[0]).toMatchObject({ status: "pending", attempts: 1, next_attempt_at: "2026-01-01T00:00:10.000Z", error: { transient: true } });
  });

  it("starts a pending execution once it is approved", () => {
    const approved = fold(detail({ status: "pending", awaiting_approval: true, started_at: null }), [
      event("execution_approved", { approved_by: "approver", approved_at: "2026-01-01T00:00:04.000Z" }),
      event("execution_started", { progress: progress(0) }),
    ]);
    expect(approved).toMatchObject({ status: "in_progress", awaiting_approval: false, approved_by: "approver" });
    expect(approved.started_at).not.toBeNull();
  });

  it("ignores a provider's migration rehearsed for a target, and events of targets not loaded", () => {
    const start = detail();
    expect(applyExecutionEvent(start, event("migration_finished", { target_id: "t1", migration_id: "shared/0001_currencies", status: "would_apply", on: "shared-eu/public" }))).toBe(start);
    expect(applyExecutionEvent(start, event("target_finished", { target_id: "elsewhere", status: "succeeded" }))).toBe(start);
  });
});

describe("maintenance-window events", () => {
  it("a target waiting for its window shows the opening; it clears when the target starts or an admin overrides", () => {
    const waited = fold(detail(), [
      event("target_waiting", { target_id: "t1", target: "shared-eu/tenant_t1", waiting_for: [], window: { opens_at: "2026-01-02T02:00:00.000Z", source: "region" } }),
      event("target_waiting", { target_id: "t2", target: "shared-eu/tenant_t2", waiting_for: [], window: { opens_at: "2026-01-01T23:00:00.000Z", source: "database" } }),
    ]);
    expect(waited.maintenance_window).toEqual({ waiting_targets: 2, opens_at: "2026-01-01T23:00:00.000Z", override: null });
    expect(waited.targets[0]!.waiting_for_window).toEqual({ opens_at: "2026-01-02T02:00:00.000Z", since: "2026-01-01T00:00:05.000Z" });
    // A replayed wait changes nothing.
    expect(fold(waited, [event("target_waiting", { target_id: "t1", waiting_for: [], window: { opens_at: "2026-01-02T02:00:00.000Z" } })])).toBe(waited);

    const started = fold(waited, [event("target_started", { target_id: "t1", attempt: 1, progress: progress(0) })]);
    expect(started.targets[0]).toMatchObject({ status: "running", waiting_for_window: null });
    expect(started.maintenance_window.waiting_targets).toBe(1);

    const overridden = fold(started, [event("window_overridden", { by: "admin", reason: "hotfix", at: "2026-01-01T00:00:06.000Z", targets_released: 1 })]);
    expect(overridden.targets.every((t) => t.waiting_for_window === null)).toBe(true);
    expect(overridden.maintenance_window).toEqual({ waiting_targets: 0, opens_at: null, override: { by: "admin", reason: "hotfix", at: "2026-01-01T00:00:06.000Z" } });
  });

  it("a dependency wait is not a window wait", () => {
    const waited = fold(detail(), [event("target_waiting", { target_id: "t2", waiting_for: [{ target_id: "t1", target: "shared-eu/public", status: "running" }] })]);
    expect(waited.targets[1]!.waiting_for_window).toBeNull();
    expect(waited.maintenance_window.waiting_targets).toBe(0);
  });
});

describe("a status read that lands after the stream's events", () => {
  it("is recognised as older than what the page shows, and a read that includes them is not", () => {
    // The page's status was read at event 10; the stream brings the target's end and the execution's.
    const read = detail({ status: "in_progress", last_event_id: 10, targets: [target("t1", "running")], progress: progress(0, 0, 0, 1) });
    const finished = [
      { ...event("target_finished", { target_id: "t1", status: "succeeded", progress: progress(1, 0, 0, 1) }), id: 11 },
      { ...event("execution_finished", { status: "completed", progress: progress(1, 0, 0, 1) }), id: 12 },
    ];
    const shown = applyStreamedEvents(read, finished, 12);
    expect(shown.status).toBe("completed");
    expect(shown.last_event_id).toBe(12);
    expect(missesStreamedEvents(shown, 12)).toBe(false);
    // The read that was in flight lands now and puts the running execution back: it misses 11 and 12.
    expect(missesStreamedEvents(read, 12)).toBe(true);
    // A read that includes them (or more) is current; nothing streamed yet means nothing is missed.
    expect(missesStreamedEvents({ ...shown, last_event_id: 13 }, 12)).toBe(false);
    expect(missesStreamedEvents(read, 0)).toBe(false);
    expect(missesStreamedEvents(undefined, 12)).toBe(false);
  });

  it("never lowers the event id of a status that is already newer than the batch", () => {
    const newer = detail({ last_event_id: 40 });
    expect(applyStreamedEvents(newer, [{ ...event("execution_started", {}), id: 30 }], 30).last_event_id).toBe(40);
  });
});
