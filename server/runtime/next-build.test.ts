import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { acquireBuildLock, buildLockPath } from "./next-build";

const roots: string[] = [];
const newRoot = () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "build-lock-"));
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const root of roots.splice(0)) {
    rmSync(buildLockPath(root), { force: true });
    rmSync(root, { recursive: true, force: true });
  }
});

describe("the build lock of a checkout", () => {
  it("makes a second console wait until the first has finished building", async () => {
    const root = newRoot();
    const releaseFirst = await acquireBuildLock(root);
    const order: string[] = [];
    let waitedFor: number | null = null;
    const second = acquireBuildLock(root, { pollMs: 20, onWait: (pid) => (waitedFor = pid) }).then((release) => {
      order.push("second has the lock");
      return release;
    });
    await new Promise((r) => setTimeout(r, 150));
    order.push("first releases");
    releaseFirst();
    const releaseSecond = await second;
    expect(order).toEqual(["first releases", "second has the lock"]);
    expect(waitedFor).toBe(process.pid);
    releaseSecond();
    expect(existsSync(buildLockPath(root))).toBe(false);
  });

  it("takes over a lock left by a process that is gone", async () => {
    const root = newRoot();
    const child = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) => child.on("exit", () => resolve(child.pid!)));
    writeFileSync(buildLockPath(root), String(deadPid));
    const release = await acquireBuildLock(root, { timeoutMs: 1_000, pollMs: 20 });
    release();
  });

  it("gives up with a message naming the holder when a live process keeps it too long", async () => {
    const root = newRoot();
    const release = await acquireBuildLock(root);
    await expect(acquireBuildLock(root, { timeoutMs: 100, pollMs: 20 })).rejects.toThrow(`pid ${process.pid}`);
    release();
  });
});
