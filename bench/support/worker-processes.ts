import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

/**
 * Standalone migration workers (`npm run worker`'s entry, server/runtime/worker-main.ts) as child
 * processes of a benchmark. Started with node and tsx's loader directly, so the child is the worker
 * itself (npm and tsx's CLI would each put a process in between, which a signal would not reach).
 *
 * A child gets the environment it is given and nothing else from the benchmark's own: PATH so it
 * can find what node needs, then the worker's settings.
 */

const WORKER_ENTRY = path.resolve("server/runtime/worker-main.ts");

export interface WorkerChild {
  child: ChildProcess;
  pid: number;
  output: () => string;
  /** The exit code, or the name of the signal that ended it. */
  exited: Promise<number | string>;
}

export function spawnWorkerProcess(env: Record<string, string>): WorkerChild {
  const child = spawn(process.execPath, ["--import", "tsx", WORKER_ENTRY], {
    // Only these variables: the type asks for NODE_ENV, which a worker does not need.
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", ...env } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (d: Buffer) => {
    // The start line and any error are what matter; a long run's warnings need not fill memory.
    if (output.length < 64_000) output += d.toString();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return { child, pid: child.pid!, output: () => output, exited };
}

/** Resolves once the worker printed that it started (it has joined the queue and sent its first heartbeat). */
export async function untilWorkerStarted(worker: WorkerChild, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!/\[worker\] started /.test(worker.output())) {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) throw new Error(`worker ${worker.pid} exited before it started:\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`worker ${worker.pid} did not start within ${timeoutMs} ms:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** SIGTERM (the worker's graceful stop), then its exit; SIGKILL if it has not exited after `graceMs`. */
export async function stopWorkerProcess(worker: WorkerChild, graceMs = 30_000): Promise<number | string> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return worker.exited;
  worker.child.kill("SIGTERM");
  const timer = setTimeout(() => worker.child.kill("SIGKILL"), graceMs);
  try {
    return await worker.exited;
  } finally {
    clearTimeout(timer);
  }
}
