import { spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "components", "server"];
const SOURCE_FILES = ["next.config.ts", "package.json", "postcss.config.mjs"];

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

/** Runs `next build` as a child process, its progress shown on this terminal. */
export function runNextBuild(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed with exit code ${code}`))));
  });
}
