import { spawn, type ChildProcess } from "node:child_process";

/**
 * Consoles and workers the browser suite starts as real processes (`server/runtime/main.ts`,
 * `server/runtime/worker-main.ts`), on the zero-configuration embedded default: no DATABASE_URL, no
 * KEYCLOAK_URL, secrets in DATA_DIR. Each spec gives its own ports and data folder so they never
 * meet the suite's own console.
 */

export interface LocalPorts {
  port: number;
  realmPort: number;
  pgPort: number;
}

export interface RunningProcess {
  child: ChildProcess;
  /** Everything the process printed so far, stdout and stderr. */
  log: () => string;
}

/** Settings the suite's own console is given that a zero-configuration start must not see. */
const CONFIGURED = ["DATABASE_URL", "ADMIN_DATABASE_URL", "KEYCLOAK_URL", "DEMO_FLEET", "DEMO_FLEET_PREFIX", "AUTH_SECRET", "APP_ENCRYPTION_KEY", "AUTH_URL", "KEYCLOAK_CLIENT_SECRET"];

export function localEnv(ports: LocalPorts, dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(ports.port),
    DEV_REALM_PORT: String(ports.realmPort),
    EMBEDDED_PG_PORT: String(ports.pgPort),
    DATA_DIR: dataDir,
    ENVIRONMENT: "development",
    RATE_LIMIT_ENABLED: "false",
  };
  for (const key of CONFIGURED) delete env[key];
  return { ...env, ...extra };
}

/** Starts `script` with tsx and resolves once it prints `readyMarker`; rejects with its output when it exits or times out. */
export function startProcess(script: string, env: NodeJS.ProcessEnv, readyMarker: string, timeoutMs = 120_000): Promise<RunningProcess> {
  const child = spawn(process.execPath, ["node_modules/tsx/dist/cli.mjs", script], { env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not print "${readyMarker}" in time:\n${output}`)), timeoutMs);
    const check = () => {
      if (output.includes(readyMarker)) {
        clearTimeout(timer);
        resolve({ child, log: () => output });
      }
    };
    child.stdout?.on("data", check);
    child.stderr?.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output}`));
    });
  });
}

export function startLocalConsole(ports: LocalPorts, dataDir: string, extra?: Record<string, string>): Promise<RunningProcess> {
  return startProcess("server/runtime/main.ts", localEnv(ports, dataDir, extra), "[console] ready:");
}

/** SIGTERM, then the exit code once the process has stopped. */
export function stopProcess(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.removeAllListeners("exit");
    child.on("exit", (code) => resolve(code));
    child.kill("SIGTERM");
  });
}

/** A client-credentials access token from a development realm. */
export async function clientToken(realmPort: number, client: "ci-readonly" | "ci-operator" | "ci-admin"): Promise<string> {
  const response = await fetch(`http://localhost:${realmPort}/realms/infrastructure/protocol/openid-connect/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: client, client_secret: `${client}-development-secret` }),
  });
  if (!response.ok) throw new Error(`token for ${client}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}
