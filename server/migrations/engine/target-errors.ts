import type { TargetError } from "../../domain/executions";
import type { Migration, MigrationPart, Statement, Target } from "./types";

/**
 * What went wrong on a target, in the shape the control plane stores (TargetError): PostgreSQL's
 * code, message, detail and hint, the file and line of the failing statement, and whether trying
 * again later can help (`transient`).
 */

/** Another execution holds the target's advisory lock for longer than we were willing to wait. */
export class TargetBusyError extends Error {
  readonly code = "target_busy";
  constructor(target: Pick<Target, "databaseName" | "schemaName">, waitedMs: number) {
    super(
      `target ${target.databaseName}/${target.schemaName} is busy: another execution holds its migration lock (waited ${Math.round(waitedMs / 1000)} s)`,
    );
    this.name = "TargetBusyError";
  }
}

// SQLSTATEs worth a retry: the server went away or said "not now", or we lost a race.
const TRANSIENT_SQLSTATES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "55P03", // lock_not_available (lock_timeout)
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "53300", // too_many_connections
]);
const TRANSIENT_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
// node-postgres reports a dropped socket with these messages and no code.
const TRANSIENT_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/**
 * True when the failure says nothing about the migration itself (connection refused or reset, the
 * server shutting down, a lock or serialization conflict), so the same work may succeed on retry.
 * SQL errors (syntax, missing relation, constraint violation, statement timeout) are not transient.
 */
export function isTransientError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: unknown; message?: unknown; transient?: unknown; cause?: unknown };
  if (e.transient === true) return true;
  if (typeof e.code === "string") {
    if (TRANSIENT_SQLSTATES.has(e.code) || TRANSIENT_NODE_CODES.has(e.code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(e.code)) return true; // class 08: connection exception
  }
  if (typeof e.message === "string" && TRANSIENT_MESSAGES.test(e.message)) return true;
  return e.cause !== undefined && e.cause !== error ? isTransientError(e.cause) : false;
}

/**
 * What a server answers a new session with while it cannot take one *now*: starting up, shutting
 * down, in recovery or not yet consistent (57P03); `database … is not currently accepting
 * connections` (55000: ALLOW_CONNECTIONS false, the usual maintenance switch); too many
 * connections (53300). The same 55000 from a statement means the SQL met an object in the wrong
 * state, which a retry does not fix, so it counts as "not now" only while connecting.
 */
const NOT_ACCEPTING_SESSIONS_NOW = new Set(["55000", "57P03", "53300"]);

/** A failure to get a session to the target: transient when the server said "not now". */
export function describeConnectFailure(error: unknown): TargetError {
  const described = describeError(error);
  if (described.code && NOT_ACCEPTING_SESSIONS_NOW.has(described.code)) described.transient = true;
  return described;
}

interface PgLikeError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
  position?: string;
  severity?: string;
}

const MAX_STATEMENT = 4000;

/**
 * Where a failure happened: the migration, its part (up or down; default up) and the statement when
 * known. `statementPosition` is the error's position inside the statement when the statement was
 * sent inside a longer message (the error's own `position` then counts from the message's start).
 */
export interface ErrorSite {
  migration: Migration;
  part?: MigrationPart;
  statement?: Statement;
  statementPosition?: number | null;
}

/** Turns any thrown value into a TargetError, pinned to the migration and statement when known. */
export function describeError(error: unknown, at?: ErrorSite): TargetError {
  const e = (error && typeof error === "object" ? error : { message: String(error) }) as PgLikeError;
  const out: TargetError = {
    message: typeof e.message === "string" && e.message ? e.message : "unknown error",
    transient: isTransientError(error),
  };
  if (typeof e.code === "string") out.code = e.code;
  if (e.severity && e.detail) out.detail = e.detail;
  if (e.severity && e.hint) out.hint = e.hint;
  if (at) {
    out.file = at.migration.file;
    out.line = (at.part ?? at.migration.up).line;
    if (at.statement) {
      const sql = at.statement.sql;
      out.statement = sql.length > MAX_STATEMENT ? `${sql.slice(0, MAX_STATEMENT)}…` : sql;
      out.line = at.statement.line;
      const position =
        at.statementPosition !== undefined ? (at.statementPosition ?? NaN) : e.severity && e.position ? Number.parseInt(e.position, 10) : NaN;
      if (Number.isFinite(position) && position > 0) {
        out.position = position;
        out.line = at.statement.line + newlinesBefore(sql, position - 1);
      }
    }
  }
  return out;
}

/** PostgreSQL positions count characters (code points) from 1; count the line breaks before one. */
function newlinesBefore(sql: string, codePoints: number): number {
  let lines = 0;
  let seen = 0;
  for (const ch of sql) {
    if (seen++ >= codePoints) break;
    if (ch === "\n") lines++;
  }
  return lines;
}

/** A failure already described for the target's result (the migration and statement are known). */
export class MigrationError extends Error {
  constructor(readonly targetError: TargetError) {
    super(targetError.message);
    this.name = "MigrationError";
  }
}
