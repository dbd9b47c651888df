import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../../server/runtime/embedded-postgres";

declare module "vitest" {
  export interface ProvidedContext {
    /** A superuser URL of the PostgreSQL server the integration tests use (database part ignored). */
    pgAdminUrl: string;
  }
}

/**
 * Integration tests talk to a real PostgreSQL: TEST_DATABASE_URL when set (CI on this machine points
 * it at the local server), otherwise an embedded cluster in a temporary folder for this run.
 */
export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    project.provide("pgAdminUrl", external);
    return;
  }
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "console-test-pg-"));
  // mkdtemp makes the folder 0700; the cluster runs as the `postgres` user when we are root.
  chmodSync(dataDir, 0o755);
  const port = await freePort();
  const cluster = await startEmbeddedPostgres({
    dataDir: path.join(dataDir, "pg"),
    port,
    password: "test-password",
  });
  project.provide("pgAdminUrl", cluster.url("postgres"));
  return async () => {
    await cluster.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === "object") resolve(address.port);
        else reject(new Error("no port"));
      });
    });
  });
}
