import pino, { type Logger } from "pino";
import { getSettings } from "../config/settings";

const cacheKey = Symbol.for("console.logger");
type GlobalWithLogger = typeof globalThis & { [cacheKey]?: Logger };

/**
 * Paths whose values must never reach a log line, whatever object they sit in. Secrets are also
 * kept out of messages by construction (connection errors are built from PostgreSQL's fields, not
 * from connection strings), this is the second line of defence.
 */
const REDACT = [
  "password",
  "*.password",
  "*.*.password",
  "passwordEncrypted",
  "*.passwordEncrypted",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "token",
  "*.token",
  "accessToken",
  "*.accessToken",
  "refreshToken",
  "*.refreshToken",
  "connectionString",
  "*.connectionString",
  "secret",
  "*.secret",
  "clientSecret",
  "*.clientSecret",
];

function createLogger(): Logger {
  const settings = getSettings();
  const pretty = !settings.isProduction && process.env.LOG_FORMAT !== "json";
  return pino({
    name: "console",
    level: settings.isTesting && !process.env.LOG_LEVEL ? "warn" : settings.logLevel,
    base: { env: settings.environment },
    redact: { paths: REDACT, censor: "[redacted]" },
    formatters: { level: (label) => ({ level: label }) },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Readable single-line output for development without a worker-thread transport; JSON lines
    // otherwise. (pino rejects `hooks: undefined`, so the key is left out entirely.)
    ...(pretty ? { hooks: { streamWrite: (line: string) => humanize(line) } } : {}),
  });
}

function humanize(line: string): string {
  try {
    const { level, time, msg, name: _name, env: _env, pid: _pid, hostname: _host, ...rest } = JSON.parse(line);
    const clock = typeof time === "string" ? time.slice(11, 19) : "";
    const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : "";
    return `${clock} ${String(level).toUpperCase().padEnd(5)} ${msg ?? ""}${extra}\n`;
  } catch {
    return line;
  }
}

/** The process-wide logger. Child loggers carry request ids, execution ids and the like. */
export function getLogger(): Logger {
  const g = globalThis as GlobalWithLogger;
  g[cacheKey] ??= createLogger();
  return g[cacheKey];
}
