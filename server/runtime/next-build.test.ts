import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SECRET_ENV_KEYS } from "../config/secret-env";
import { acquireBuildLock, buildIsStale, buildLockPath, runNextBuild } from "./next-build";

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

describe("npm start", () => {
  it("builds only through main.ts's staleness check and build lock, never unconditionally", () => {
    const { scripts } = JSON.parse(readFileSync(path.resolve("package.json"), "utf8")) as { scripts: Record<string, string> };
    // `npm run build && …` rebuilt on every start (10–23 s) and let two starts race into Next's
    // own "another build is running" before the lock in main.ts was reached.
    expect(scripts.start).not.toMatch(/build|&&/);
    expect(readFileSync(path.resolve("server/runtime/main.ts"), "utf8")).toContain("await buildIfStale(root, say)");
  });

  it("runs the console and the worker in one node process each, collecting before the heap grows past 1.5× what was live", () => {
    const { scripts } = JSON.parse(readFileSync(path.resolve("package.json"), "utf8")) as { scripts: Record<string, string> };
    // Through tsx's launcher each was two processes (the launcher some 50 MiB), and V8's own
    // growing factor (up to 4×) let a 100,000-tenant console reach 0.97 GiB on garbage between
    // full collections; with 1.5× it peaked at 0.6 GiB in the same time (bench/scale-console.ts).
    // The flag is refused in NODE_OPTIONS, so the command line is the only place for it.
    for (const [script, entry] of [["start", "main.ts"], ["worker", "worker-main.ts"]] as const) {
      expect(scripts[script], script).toMatch(new RegExp(`^node --heap-growing-percent=50 --import tsx server/runtime/${entry}$`));
    }
  });
});

describe("whether the build is stale", () => {
  const at = (root: string, file: string, seconds: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), "x");
    utimesSync(path.join(root, file), seconds, seconds);
  };

  it("is stale without a build, fresh after one, and stale again when any source of it changes", () => {
    const root = newRoot();
    at(root, "app/page.tsx", 1_000);
    at(root, "package.json", 1_000);
    expect(buildIsStale(root)).toBe(true);
    at(root, ".next/BUILD_ID", 2_000);
    expect(buildIsStale(root)).toBe(false);
    for (const source of ["app/page.tsx", "components/ui/button.tsx", "server/http/route.ts", "proxy.ts", "next.config.ts", "tsconfig.json", "package-lock.json"]) {
      at(root, source, 3_000);
      expect(buildIsStale(root), source).toBe(true);
      at(root, source, 1_000);
    }
    // What the build does not contain does not make it stale.
    at(root, "tests/a.test.ts", 3_000);
    at(root, "examples/migrations/tenant/0001_a.sql", 3_000);
    expect(buildIsStale(root)).toBe(false);
  });
});
