import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { withoutSecrets } from "../config/secret-env";

/** What the production build is made of: a change to any of these makes the build stale. */
const SOURCE_DIRS = ["app", "components", "server"];
const SOURCE_FILES = ["next.config.ts", "proxy.ts", "postcss.config.mjs", "tsconfig.json", "package.json", "package-lock.json"];

/** Newest modification time under the folders that make up the production build. */
function newestSourceMtime(root: string): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(path.join(root, dir))) visit(path.join(root, dir));
  for (const file of SOURCE_FILES) if (existsSync(path.join(root, file))) newest = Math.max(newest, statSync(path.join(root, file)).mtimeMs);
  return newest;
}

/** Whether `.next` is missing or older than the sources (a fresh clone, or a pull since the last build). */
export function buildIsStale(root: string, distDir = ".next"): boolean {
  const stamp = path.join(root, distDir, "BUILD_ID");
  if (!existsSync(stamp)) return true;
  return newestSourceMtime(root) > statSync(stamp).mtimeMs;
}

/**
 * Runs `next build` as a child process, its progress shown on this terminal. The build needs none
 * of the console's secrets (the console reads them at run time), so it does not get them.
 */
export function runNextBuild(root: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...withoutSecrets(env), NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed with exit code ${code}`))));
  });
}

/**
 * One build of a checkout at a time: consoles started together from the same folder (`npm start`
 * twice, or two instances on one machine) would otherwise run `next build` side by side, and Next
 * refuses the second. The lock is a file in the system's temporary folder holding the builder's pid;
 * a lock whose process is gone is taken over.
 */
export function buildLockPath(root: string): string {
  const id = createHash("sha256").update(path.resolve(root)).digest("hex").slice(0, 16);
  return path.join(os.tmpdir(), `nmt-console-build-${id}.lock`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the checkout's build lock, waiting (up to `timeoutMs`) while another live process holds it. */
export async function acquireBuildLock(
  root: string,
  opts: { timeoutMs?: number; pollMs?: number; onWait?: (holderPid: number) => void } = {},
): Promise<() => void> {
  const file = buildLockPath(root);
  const deadline = Date.now() + (opts.timeoutMs ?? 20 * 60_000);
  let told = false;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(readFileSync(file, "utf8").trim());
    if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (!told) {
      opts.onWait?.(holder);
      told = true;
    }
    if (Date.now() > deadline) throw new Error(`another process (pid ${holder}) is still building this checkout; remove ${file} if it is gone`);
    await sleep(opts.pollMs ?? 500);
  }
}

/**
 * Builds the console when the build is missing or older than the sources, under the checkout's
 * build lock; a console that waited for another's build finds it fresh and starts on it.
 */
export async function buildIfStale(root: string, say: (line: string) => void): Promise<boolean> {
  if (!buildIsStale(root)) return false;
  const release = await acquireBuildLock(root, {
    onWait: (pid) => say(`waiting for another console (pid ${pid}) that is building this checkout…`),
  });
  try {
    if (!buildIsStale(root)) return false;
    say("building the console (first start, or sources changed since the last build)…");
    await runNextBuild(root);
    return true;
  } finally {
    release();
  }
}
