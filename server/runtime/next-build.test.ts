import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SECRET_ENV_KEYS } from "../config/secret-env";
import { acquireBuildLock, buildLockPath, runNextBuild } from "./next-build";

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

describe("the build's environment", () => {
  it("holds none of the console's secrets, which the start has set by then", async () => {
    const root = newRoot();
    // A stand-in for next's CLI that records the environment it was given.
    mkdirSync(path.join(root, "node_modules/next/dist/bin"), { recursive: true });
    writeFileSync(
      path.join(root, "node_modules/next/dist/bin/next"),
      `require("fs").writeFileSync(${JSON.stringify(path.join(root, "env.json"))}, JSON.stringify(process.env));`,
    );
    const env: NodeJS.ProcessEnv = { ...process.env, LANG: "C.UTF-8", ...Object.fromEntries(SECRET_ENV_KEYS.map((k) => [k, `secret-${k}`])) };
    await runNextBuild(root, env);
    const seen = JSON.parse(readFileSync(path.join(root, "env.json"), "utf8")) as Record<string, string>;
    expect(seen).toMatchObject({ LANG: "C.UTF-8", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
    for (const key of SECRET_ENV_KEYS) expect(seen, key).not.toHaveProperty(key);
    expect(JSON.stringify(seen)).not.toContain("secret-");
  });
});
