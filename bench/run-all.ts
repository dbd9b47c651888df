/**
 * `npm run bench`: every benchmark in this folder, one after another (they would skew each other
 * run side by side), each in its own process with this process's environment. Prints a summary and
 * exits non-zero when any of them failed.
 *
 *   npm run bench                 all of them
 *   npm run bench -- fleet noop   only those (by file name without .ts)
 */
import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const dir = path.dirname(new URL(import.meta.url).pathname);
const only = process.argv.slice(2);
const benches = readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && f !== "run-all.ts")
  .map((f) => f.slice(0, -3))
  .filter((name) => only.length === 0 || only.includes(name))
  .sort();

function runOne(name: string): Promise<{ code: number | null; seconds: number }> {
  const started = performance.now();
  process.stdout.write(`\n=== bench/${name}.ts ===\n`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(dir, `${name}.ts`)], { stdio: "inherit", env: process.env });
    child.on("exit", (code) => resolve({ code, seconds: (performance.now() - started) / 1000 }));
  });
}

const results: { name: string; code: number | null; seconds: number }[] = [];
for (const name of benches) results.push({ name, ...(await runOne(name)) });

process.stdout.write("\n=== summary ===\n");
for (const r of results) process.stdout.write(`${r.code === 0 ? "ok    " : "FAILED"} bench/${r.name}.ts (${r.seconds.toFixed(0)} s)\n`);
if (results.some((r) => r.code !== 0)) process.exit(1);
