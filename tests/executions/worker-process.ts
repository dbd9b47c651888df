import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * `npm run worker`'s entry point (server/runtime/worker-main.ts) as a child process of the test,
 * started with node directly (npm and tsx's CLI would put a second process in between, which a
 * SIGKILL would not reach).
 */

export const WORKER_ENTRY = path.resolve("server/runtime/worker-main.ts");

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

/**
 * `env` on top of the test's own environment, or with `only` on top of PATH alone: what a worker
 * on a machine of its own would be given.
 */
export function spawnWorker(env: Record<string, string>, opts: { only?: boolean } = {}): WorkerProcess {
  const childEnv: Record<string, string | undefined> = { ...(opts.only ? { PATH: process.env.PATH } : process.env), LOG_LEVEL: "warn", ...env };
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_ENTRY], {
    env: childEnv as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, output: () => output, exited };
}

/** Waits until the worker printed that it started (it has joined the queue). */
export async function untilStarted(worker: WorkerProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/\[worker\] started /.test(worker.output())) {
    if (worker.child.exitCode !== null) throw new Error(`worker exited early:\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`worker did not start in ${timeoutMs} ms:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
