import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { clientSecretFromRealmFile } from "../../server/auth/dev-realm/realm-file";

/** A console a bench started in a process of its own, and how to stop it (its data folder goes too). */
export interface BenchConsole {
  child: ChildProcess;
  stop: () => Promise<void>;
}

/**
 * Starts node with `args` (a console entry point) in a fresh data folder, with `env` over this
 * process's environment, and waits until `baseUrl` answers its readiness check.
 */
export async function startBenchConsole(opts: {
  args: string[];
  env: Record<string, string>;
  baseUrl: string;
  dataDirPrefix: string;
  timeoutMinutes: number;
}): Promise<BenchConsole> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), opts.dataDirPrefix));
  // mkdtemp makes the folder 0700; the embedded cluster runs as the `postgres` user when we are root.
  chmodSync(dataDir, 0o755);
  const child = spawn(process.execPath, opts.args, {
    cwd: process.cwd(),
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...opts.env, DATA_DIR: dataDir },
  });
  const deadline = Date.now() + opts.timeoutMinutes * 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the console exited with code ${child.exitCode}`);
    const ready = await fetch(`${opts.baseUrl}/api/health/ready`).then((r) => r.ok).catch(() => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the console did not become ready within ${opts.timeoutMinutes} minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return {
    child,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An access token of the development realm's `ci-admin` automation client. */
export async function ciAdminToken(realmUrl: string): Promise<string> {
  const response = await fetch(`${realmUrl}/realms/infrastructure/protocol/openid-connect/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "ci-admin", client_secret: clientSecretFromRealmFile("ci-admin") ?? "" }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
