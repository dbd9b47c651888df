import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { clientToken, localEnv, startLocalConsole, startProcess, stopProcess, type RunningProcess } from "./support/local-console";
import { sidePorts } from "./support/ports";

/**
 * `npm run worker` next to a console on the embedded default joins it with no configuration (the
 * control-plane URL and encryption key come from DATA_DIR), and does the work: the console here runs
 * no worker of its own (WORKERS=0), so an execution can only complete through the standalone one.
 */
const PORTS = sidePorts({ port: 70, realm: 4, pg: 4 });
const api = (p: string) => `http://localhost:${PORTS.port}${p}`;

test("a standalone worker joins the local embedded console and runs its executions", async ({ request }) => {
  test.setTimeout(300_000);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "console-worker-"));
  chmodSync(dataDir, 0o755);
  let consoleProcess: RunningProcess | undefined;
  let worker: RunningProcess | undefined;
  try {
    consoleProcess = await startLocalConsole(PORTS, dataDir, { WORKERS: "0" });
    worker = await startProcess("server/runtime/worker-main.ts", localEnv(PORTS, dataDir), "[worker] started");
    expect(worker.log()).toContain(`joining the local console's embedded PostgreSQL on port ${PORTS.pgPort}`);

    const headers = { authorization: `Bearer ${await clientToken(PORTS.realmPort, "ci-operator")}` };
    const started = await request.post(api("/api/migrations/execute"), { headers, data: { scope: "admin" } });
    expect(started.status(), await started.text()).toBe(202);
    const { id } = (await started.json()) as { id: string };

    let body: { status: string; progress: { total_targets: number; completed_targets: number }; targets: Array<{ status: string; schema_name: string }> } | undefined;
    await expect
      .poll(
        async () => {
          body = await (await request.get(api(`/api/migrations/status/${id}`), { headers })).json();
          return body!.status;
        },
        { timeout: 120_000, intervals: [250, 500, 1_000] },
      )
      .toBe("completed");
    expect(body!.progress).toMatchObject({ total_targets: 1, completed_targets: 1 });
    expect(body!.targets.map((t) => [t.schema_name, t.status])).toEqual([["public", "succeeded"]]);

    // Nothing is pending on the admin database any more.
    const plan = await request.get(api("/api/migrations/dynamic/plan?scope=admin"), { headers });
    expect(plan.status(), await plan.text()).toBe(200);
    expect((await plan.json()).totals).toMatchObject({ pending_migrations: 0 });

    expect(await stopProcess(worker.child)).toBe(0);
    expect(worker.log()).toContain("[worker] stopped");
  } finally {
    if (worker) await stopProcess(worker.child);
    if (consoleProcess) await stopProcess(consoleProcess.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
});
