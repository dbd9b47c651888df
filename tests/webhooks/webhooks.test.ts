import { createHmac, timingSafeEqual } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as approveRoute from "../../app/api/migrations/[id]/approve/route";
import * as rollbackRoute from "../../app/api/migrations/rollback/route";
import * as auditRoute from "../../app/api/audit/route";
import * as webhooksRoute from "../../app/api/webhooks/route";
import * as webhookRoute from "../../app/api/webhooks/[id]/route";
import * as deliveriesRoute from "../../app/api/webhooks/[id]/deliveries/route";
import * as testRoute from "../../app/api/webhooks/[id]/test/route";
import { getDb } from "../../server/db/client";
import { startMigrationWorker } from "../../server/jobs/start-worker";
import { findExecution } from "../../server/migrations/executions/repository";
import { ZScheduleCreate } from "../../server/schedules/schemas";
import { createSchedule, fireDueSchedules } from "../../server/schedules/service";
import { SecretBox } from "../../server/crypto/secret-box";
import { emitExecutionEvent } from "../../server/webhooks/emit";
import { rotateWebhookSecrets, webhookSecretsByKey } from "../../server/webhooks/rotate-secrets";
import { findEndpoint } from "../../server/webhooks/repository";
import { type ApiResponse, call } from "../support/api-call";
import { onDatabase } from "../support/database";
import { setEnv, waitFor } from "../support/test-env";
import { executeOrThrow, waitForEnd } from "../executions/exec-helpers";
import { startExecutionEnv, stopExecutionEnv, type ExecutionEnv } from "../executions/execution-env";
import { startReceiver, type Received, type Receiver } from "./receiver";

/**
 * Outbound webhooks against a real control plane, the real job queue and worker, and a receiver
 * on localhost: signed deliveries that verify, a retry after a 500, the events an execution's life
 * sends (and none for a change that rolled back), refused input naming its field, the delivery
 * log, and secrets that never come back.
 */

let env: ExecutionEnv;
let receiver: Receiver;
let catalogDir: string;

beforeAll(async () => {
  catalogDir = mkdtempSync(path.join(os.tmpdir(), "webhook-catalog-"));
  mkdirSync(path.join(catalogDir, "tenant"));
  writeFileSync(
    path.join(catalogDir, "tenant", "0001_accounts.sql"),
    "-- migrate:up\nCREATE TABLE accounts (id int PRIMARY KEY);\n-- migrate:down\nDROP TABLE accounts;\n",
  );
  env = await startExecutionEnv({ regions: ["eu"], tenantsPerRegion: 0, catalogDir, prefix: "whk" });
  receiver = await startReceiver();
});

afterAll(async () => {
  await receiver?.close();
  await stopExecutionEnv(env);
  rmSync(catalogDir, { recursive: true, force: true });
});

const admin = () => env.tokens.admin;

async function createWebhook(body: Record<string, unknown>, token = admin()): Promise<ApiResponse> {
  return call(webhooksRoute.POST, "POST", "/api/webhooks", { token, body });
}

async function createOrThrow(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await createWebhook(body);
  if (res.status !== 201) throw new Error(`create answered ${res.status}: ${res.text}`);
  return { id: res.json.id, secret: res.json.secret ?? body.secret };
}

const deliveries = (id: string) =>
  call(deliveriesRoute.GET, "GET", `/api/webhooks/${id}/deliveries`, { token: admin(), params: { id } });

/** Waits until the endpoint's newest delivery matches `check`; returns it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
async function deliveryWhere(id: string, what: string, check: (d: any) => boolean): Promise<any> {
  return waitFor(
    `a delivery of ${id} that is ${what}`,
    async () => ((await deliveries(id)).json.deliveries as unknown[]).find(check),
    30_000,
    50,
  );
}

/** What a receiver does with a delivery: recompute the HMAC of `<t>.<body>` and compare (the README's recipe). */
function verifies(request: Received, secret: string): boolean {
  const header = String(request.headers["x-console-signature"] ?? "");
  const t = /(?:^|,)t=(\d+)/.exec(header)?.[1];
  const v1 = /(?:^|,)v1=([0-9a-f]{64})/.exec(header)?.[1];
  if (!t || !v1) return false;
  const expected = createHmac("sha256", secret).update(`${t}.${request.body}`).digest();
  const fresh = Math.abs(Date.now() / 1000 - Number(t)) < 300;
  return fresh && timingSafeEqual(Buffer.from(v1, "hex"), expected);
}

describe("registering an endpoint", () => {
  it("generates a secret, shows it once, and stores it sealed", async () => {
    const res = await createWebhook({ name: "ops-once", url: `${receiver.origin}/once`, events: ["execution.failed"] });
    expect(res.status).toBe(201);
    const secret: string = res.json.secret;
    expect(secret).toMatch(/^whsec_/);
    expect(res.json).toMatchObject({ name: "ops-once", format: "standard", enabled: true, events: ["execution.failed"], last_delivery: null });

    const list = await call(webhooksRoute.GET, "GET", "/api/webhooks", { token: admin() });
    const one = await call(webhookRoute.GET, "GET", `/api/webhooks/${res.json.id}`, { token: admin(), params: { id: res.json.id } });
    for (const answer of [list, one]) {
      expect(answer.status).toBe(200);
      expect(answer.text).not.toContain(secret);
      expect(answer.text).not.toMatch(/secret/i);
    }
    const row = await findEndpoint(getDb(), res.json.id);
    expect(row!.secretEncrypted).not.toContain(secret);
    expect(row!.secretKeyId).toMatch(/^[0-9a-f]{12}$/);

    // Audited without the secret or the URL's path.
    const audit = await call(auditRoute.GET, "GET", "/api/audit", { token: admin(), query: { action: "webhooks.create" } });
    const entry = audit.json.entries.find((i: { resource_id: string }) => i.resource_id === res.json.id);
    expect(entry).toMatchObject({ outcome: "success", resource_type: "webhook", details: { name: "ops-once", host: new URL(receiver.origin).host } });
    expect(audit.text).not.toContain(secret);
  });

  it("refuses bad input with 422 naming the field, and writes nothing", async () => {
    const before = (await call(webhooksRoute.GET, "GET", "/api/webhooks", { token: admin() })).json.total;
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ url: "ftp://127.0.0.1/hook" }, "url", /http or https/],
      [{ url: "http://user:pw@127.0.0.1/hook" }, "url", /credentials/],
      [{ url: "not a url" }, "url", /absolute http\(s\) URL/],
      [{ events: [] }, "events", /at least one/],
      [{ events: ["execution.exploded"] }, "events.0", /must be one of/],
      [{ secret: "short" }, "secret", /at least 16/],
      [{ format: "teams" }, "format", /standard, slack/],
    ];
    for (const [change, field, message] of cases) {
      const res = await createWebhook({ name: `bad-${field}`, url: `${receiver.origin}/bad`, events: ["execution.failed"], ...change });
      expect(res.status, JSON.stringify(change)).toBe(422);
      expect(res.json.details.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field, message: expect.stringMatching(message) })]));
    }
    // A host outside ALLOWED_WEBHOOK_HOSTS (the testing default is loopback only).
    const outside = await createWebhook({ name: "outside", url: "https://hooks.example.org/x", events: ["execution.failed"] });
    expect(outside.status).toBe(422);
    expect(outside.json).toMatchObject({ error: "host_not_allowed", details: { field: "url", host: "hooks.example.org" } });
    expect(outside.json.message).toContain("ALLOWED_WEBHOOK_HOSTS");

    expect((await call(webhooksRoute.GET, "GET", "/api/webhooks", { token: admin() })).json.total).toBe(before);
    // Operators manage migrations, not the console's outbound traffic.
    expect((await createWebhook({ name: "op", url: `${receiver.origin}/op`, events: ["execution.failed"] }, env.tokens.operator)).status).toBe(403);
  });
});

describe("deliveries", () => {
  it("a test delivery arrives signed with the endpoint's secret and shows in the log", async () => {
    const { id, secret } = await createOrThrow({ name: "ops-test", url: `${receiver.origin}/test`, events: ["execution.completed"], secret: "a-secret-chosen-by-the-admin" });
    const sent = await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } });
    expect(sent.status).toBe(202);
    expect(sent.json).toMatchObject({ endpoint_id: id, event_type: "webhook.test", status: "queued" });

    const [request] = await receiver.received("/test", 1);
    expect(verifies(request!, secret)).toBe(true);
    expect(verifies(request!, "another-secret-entirely")).toBe(false);
    expect(request!.headers).toMatchObject({ "content-type": "application/json", "x-console-event": "webhook.test", "x-console-delivery": sent.json.id });
    const body = JSON.parse(request!.body);
    expect(body).toMatchObject({ id: sent.json.event_id, type: "webhook.test", data: { endpoint: { id, name: "ops-test" }, requested_by: "service-account-ci-admin" } });

    const logged = await deliveryWhere(id, "succeeded", (d) => d.id === sent.json.id && d.status === "succeeded");
    expect(logged).toMatchObject({ attempts: 1, last_status_code: 200, last_error: null, body: request!.body });
    expect(logged.delivered_at).not.toBeNull();
  });

  it("a 500 is retried with backoff by the queue; the retry carries the same body, signed again", async () => {
    const { id, secret } = await createOrThrow({ name: "ops-retry", url: `${receiver.origin}/retry`, events: ["execution.completed"] });
    receiver.answer([500]);
    const sent = await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } });

    const waiting = await deliveryWhere(id, "waiting for its retry", (d) => d.id === sent.json.id && d.status === "retrying");
    expect(waiting).toMatchObject({ attempts: 1, last_status_code: 500, last_error: expect.stringContaining("receiver says 500") });
    expect(Date.parse(waiting.next_attempt_at)).toBeGreaterThan(Date.parse(waiting.last_attempt_at));

    const done = await deliveryWhere(id, "delivered", (d) => d.id === sent.json.id && d.status === "succeeded");
    expect(done).toMatchObject({ attempts: 2, last_status_code: 200, last_error: null, next_attempt_at: null });
    const requests = receiver.requests.filter((r) => r.path === "/retry");
    expect(requests).toHaveLength(2);
    expect(requests[1]!.body).toBe(requests[0]!.body);
    expect(requests.every((r) => verifies(r, secret))).toBe(true);
    expect(new Set(requests.map((r) => r.headers["x-console-delivery"]))).toEqual(new Set([sent.json.id]));
  });

  it("a 4xx other than 408 and 429 is final: the delivery fails without a retry", async () => {
    const { id } = await createOrThrow({ name: "ops-gone", url: `${receiver.origin}/gone`, events: ["execution.completed"] });
    receiver.answer([410]);
    const sent = await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } });
    const failed = await deliveryWhere(id, "failed", (d) => d.id === sent.json.id && d.status === "failed");
    expect(failed).toMatchObject({ attempts: 1, last_status_code: 410, next_attempt_at: null, last_error: expect.stringContaining("410") });
    expect(receiver.requests.filter((r) => r.path === "/gone")).toHaveLength(1);
  });

  it("a host removed from ALLOWED_WEBHOOK_HOSTS after registration gets nothing", async () => {
    const { id } = await createOrThrow({ name: "ops-fenced", url: `${receiver.origin}/fenced`, events: ["execution.completed"] });
    // Queued while the host was allowed; the list narrows before a worker takes it.
    await env.worker!.stop();
    const sent = await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } });
    expect(sent.status).toBe(202);
    setEnv({ ALLOWED_WEBHOOK_HOSTS: "hooks.example.org" });
    try {
      env.worker = await startMigrationWorker({ kind: "in-process" });
      const refused = await deliveryWhere(id, "failed", (d) => d.id === sent.json.id && d.status === "failed");
      expect(refused).toMatchObject({ attempts: 1, last_status_code: null, last_error: expect.stringContaining("not allowed by ALLOWED_WEBHOOK_HOSTS") });
      const again = await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } });
      expect(again.status).toBe(422);
      expect(again.json).toMatchObject({ error: "host_not_allowed", details: { field: "url" } });
      expect(receiver.requests.filter((r) => r.path === "/fenced")).toHaveLength(0);
    } finally {
      setEnv({ ALLOWED_WEBHOOK_HOSTS: "" });
    }
  });

  it("changing an endpoint: a new secret signs the next delivery, a disabled one gets no events, bad changes are refused", async () => {
    const { id, secret } = await createOrThrow({ name: "ops-changing", url: `${receiver.origin}/changing`, events: ["execution.started"] });
    const patch = (body: Record<string, unknown>, target = id) =>
      call(webhookRoute.PATCH, "PATCH", `/api/webhooks/${target}`, { token: admin(), params: { id: target }, body });

    const rotated = await patch({ secret: "a-brand-new-secret-for-the-receiver", events: ["execution.started", "execution.failed"] });
    expect(rotated.status).toBe(200);
    expect(rotated.json.events).toEqual(["execution.started", "execution.failed"]);
    expect(rotated.text).not.toContain("a-brand-new-secret");
    await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } });
    const [signed] = await receiver.received("/changing", 1);
    expect(verifies(signed!, "a-brand-new-secret-for-the-receiver")).toBe(true);
    expect(verifies(signed!, secret)).toBe(false);

    expect((await patch({ url: "https://hooks.example.org/x" })).json).toMatchObject({ error: "host_not_allowed", details: { field: "url" } });
    expect((await patch({ events: [] })).json.details.fields[0]).toMatchObject({ field: "events" });
    expect((await patch({ enabled: false }, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await call(webhookRoute.GET, "GET", `/api/webhooks/${id}`, { token: admin(), params: { id } })).json.url).toBe(`${receiver.origin}/changing`);

    // Disabled: an execution starting sends it nothing.
    expect((await patch({ enabled: false })).json.enabled).toBe(false);
    const [tenant] = await env.fleet.addTenants("eu", ["w-disabled"]);
    const executionId = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [tenant!.id] });
    await waitForEnd(env.tokens.viewer, executionId);
    expect((await deliveries(id)).json.deliveries.filter((d: { event_type: string }) => d.event_type !== "webhook.test")).toEqual([]);
  });

  it("deleting an endpoint takes its log with it", async () => {
    const { id } = await createOrThrow({ name: "ops-deleted", url: `${receiver.origin}/deleted`, events: ["execution.completed"] });
    expect((await call(webhookRoute.DELETE, "DELETE", `/api/webhooks/${id}`, { token: admin(), params: { id } })).status).toBe(204);
    expect((await deliveries(id)).status).toBe(404);
    expect((await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } })).status).toBe(404);
  });
});

describe("events of an execution's life", () => {
  it("approval needed, started, completed, then rolled back — each once, to the endpoints subscribed, in both formats", async () => {
    const lifecycle = await createOrThrow({
      name: "life",
      url: `${receiver.origin}/life`,
      events: ["execution.approval_needed", "execution.started", "execution.completed", "execution.rolled_back"],
    });
    const slack = await createOrThrow({ name: "life-slack", url: `${receiver.origin}/slack`, events: ["execution.completed"], format: "slack" });
    const quiet = await createOrThrow({ name: "failures-only", url: `${receiver.origin}/failures`, events: ["execution.failed"] });
    const [tenant] = await env.fleet.addTenants("eu", ["w-1"]);

    setEnv({ REQUIRE_APPROVAL: "true" });
    let executionId: string;
    try {
      executionId = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [tenant!.id] });
      const [approval] = await receiver.received("/life", 1);
      expect(JSON.parse(approval!.body)).toMatchObject({
        type: "execution.approval_needed",
        data: { execution: { id: executionId, status: "pending", executed_by: "operator", targets: { total: 1 } } },
      });
      const approved = await call(approveRoute.POST, "POST", `/api/migrations/${executionId}/approve`, { token: admin(), params: { id: executionId } });
      expect(approved.status).toBe(200);
    } finally {
      setEnv({ REQUIRE_APPROVAL: "" });
    }
    expect((await waitForEnd(env.tokens.viewer, executionId)).status).toBe("completed");
    const life = await receiver.received("/life", 3);
    expect(life.map((r) => JSON.parse(r.body).type)).toEqual(["execution.approval_needed", "execution.started", "execution.completed"]);
    expect(JSON.parse(life[2]!.body).data.execution).toMatchObject({ id: executionId, status: "completed", approved_by: "service-account-ci-admin", targets: { total: 1, completed: 1 } });
    expect(life.every((r) => verifies(r, lifecycle.secret))).toBe(true);
    expect(new Set(life.map((r) => JSON.parse(r.body).id)).size).toBe(3);

    const [message] = await receiver.received("/slack", 1);
    expect(verifies(message!, slack.secret)).toBe(true);
    const slackBody = JSON.parse(message!.body);
    expect(slackBody.text).toMatch(/^:white_check_mark: Execution [0-9a-f]{8} by operator completed: 1 succeeded, 0 failed, 0 skipped of 1 targets\.$/);
    expect(slackBody.blocks[0].text.text).toBe(slackBody.text);

    // The rollback completes, and the original execution's subscribers hear it was rolled back.
    const rollback = await call(rollbackRoute.POST, "POST", "/api/migrations/rollback", { token: env.tokens.operator, body: { execution_id: executionId } });
    expect(rollback.status).toBe(202);
    expect((await waitForEnd(env.tokens.viewer, rollback.json.id)).status).toBe("completed");
    const rolledBack = (await receiver.received("/life", 6)).map((r) => JSON.parse(r.body)).find((b) => b.type === "execution.rolled_back");
    expect(rolledBack.data).toMatchObject({ execution: { id: executionId, status: "rolled_back" }, rollback: { id: rollback.json.id, kind: "rollback" } });

    // The delivery log of each endpoint says the same; the failures-only endpoint got nothing.
    await deliveryWhere(lifecycle.id, "the rolled-back event delivered", (d) => d.event_type === "execution.rolled_back" && d.status === "succeeded");
    expect((await deliveries(lifecycle.id)).json.deliveries.map((d: { execution_id: string }) => d.execution_id)).toContain(executionId);
    expect((await deliveries(quiet.id)).json.total).toBe(0);
    expect(receiver.requests.filter((r) => r.path === "/failures")).toHaveLength(0);
  });

  it("a failed execution is announced with its error", async () => {
    const { id } = await createOrThrow({ name: "on-failure", url: `${receiver.origin}/failed`, events: ["execution.failed"] });
    const [tenant] = await env.fleet.addTenants("eu", ["w-broken"]);
    // The table the migration creates is already there: a SQL error, not retried.
    await onDatabase(env.fleet.shared.eu!.db.url, `create table "${tenant!.schema}".accounts (id int)`);
    const executionId = await executeOrThrow(env.tokens.operator, { scope: "tenant", tenant_ids: [tenant!.id] });
    expect((await waitForEnd(env.tokens.viewer, executionId)).status).toBe("failed");
    const [request] = await receiver.received("/failed", 1);
    expect(JSON.parse(request!.body)).toMatchObject({
      type: "execution.failed",
      data: { execution: { id: executionId, status: "failed", targets: { total: 1, failed: 1 }, error_message: expect.stringContaining("1 of 1 targets did not succeed") } },
    });
    await deliveryWhere(id, "delivered", (d) => d.execution_id === executionId && d.status === "succeeded");
  });

  it("a schedule firing is announced with the execution it started", async () => {
    const { id, secret } = await createOrThrow({ name: "on-schedule", url: `${receiver.origin}/schedule`, events: ["schedule.fired"] });
    const [tenant] = await env.fleet.addTenants("eu", ["w-sched"]);
    const runAt = new Date(Date.now() + 60_000);
    const schedule = await createSchedule(
      ZScheduleCreate.parse({ name: "webhook-nightly", scope: "tenant", tenant_ids: [tenant!.id], run_at: runAt.toISOString() }),
      "admin",
    );
    // Fired as if the clock had reached run_at (the firer takes "now" as a parameter).
    const [outcome] = await fireDueSchedules(new Date(runAt.getTime() + 1_000));
    expect(outcome).toMatchObject({ schedule: "webhook-nightly", outcome: "fired" });
    const executionId = (outcome as { executionId: string }).executionId;
    const [request] = await receiver.received("/schedule", 1);
    expect(verifies(request!, secret)).toBe(true);
    expect(JSON.parse(request!.body)).toMatchObject({
      type: "schedule.fired",
      data: { schedule: { id: schedule.id, name: "webhook-nightly", scheduled_for: runAt.toISOString() }, execution: { id: executionId }, error: null },
    });
    await deliveryWhere(id, "delivered", (d) => d.execution_id === executionId && d.status === "succeeded");
    await waitForEnd(env.tokens.viewer, executionId);
  });

  it("nothing is queued for a change whose transaction rolled back", async () => {
    const { id } = await createOrThrow({ name: "never", url: `${receiver.origin}/never`, events: ["execution.started"] });
    const [someExecution] = (await onControlPlane("select id from console.executions limit 1")).rows as Array<{ id: string }>;
    const row = (await findExecution(getDb(), someExecution!.id))!;
    await expect(
      getDb().transaction(async (tx) => {
        await emitExecutionEvent(tx, "execution.started", row);
        throw new Error("the change failed after emitting");
      }),
    ).rejects.toThrow("the change failed after emitting");
    expect((await deliveries(id)).json.total).toBe(0);
    const jobs = await onControlPlane("select count(*)::int as n from graphile_worker.jobs where queue_name = 'webhook:' || $1", [id]);
    expect(jobs.rows[0]).toEqual({ n: 0 });
    expect(receiver.requests.filter((r) => r.path === "/never")).toHaveLength(0);
  });
});

describe("rotating the encryption key", () => {
  it("keys:rotate re-seals endpoint secrets, and deliveries verify with the same secret under the new key alone", async () => {
    const { id, secret } = await createOrThrow({ name: "rotating", url: `${receiver.origin}/rotated`, events: ["execution.failed"] });
    const oldKey = env.fleet.env.encryptionKey;
    const newKey = `rotated-${"w".repeat(40)}`;
    const box = new SecretBox(newKey, [oldKey]);
    setEnv({ APP_ENCRYPTION_KEY: newKey, APP_ENCRYPTION_KEYS_PREVIOUS: oldKey });
    try {
      const endpoints = (await call(webhooksRoute.GET, "GET", "/api/webhooks", { token: admin() })).json.total;
      const result = await rotateWebhookSecrets(getDb(), box);
      expect(result).toEqual({ rotated: endpoints, failed: [] });
      expect(await webhookSecretsByKey(getDb())).toEqual({ [box.currentKeyId]: endpoints });
      // Run again: nothing left to do.
      expect(await rotateWebhookSecrets(getDb(), box)).toEqual({ rotated: 0, failed: [] });

      setEnv({ APP_ENCRYPTION_KEYS_PREVIOUS: "" });
      const sent = await call(testRoute.POST, "POST", `/api/webhooks/${id}/test`, { token: admin(), params: { id } });
      expect(sent.status).toBe(202);
      const [request] = await receiver.received("/rotated", 1);
      expect(verifies(request!, secret)).toBe(true);
    } finally {
      // The fleet's passwords are still under the old key.
      setEnv({ APP_ENCRYPTION_KEY: oldKey, APP_ENCRYPTION_KEYS_PREVIOUS: newKey });
    }
  });
});

function onControlPlane(sql: string, params: unknown[] = []) {
  return onDatabase(env.fleet.env.controlPlane.url, sql, params);
}
