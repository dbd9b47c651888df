import type pg from "pg";
import { describeError, MigrationError } from "./target-errors";
import type { Migration, MigrationPart, Statement } from "./types";

/**
 * One migration part in ONE round trip: the engine's statements around it (BEGIN and the local
 * settings before, the history row and COMMIT after) and the part's statements go to the server as
 * a single simple-query message. PostgreSQL runs them in order and stops at the first error, so
 * the whole migration costs one network round trip and one message for the client to build and
 * read, instead of one per statement.
 *
 * Why (160 tenant migrations of ≈ 5 statements each, applied to fresh schemas, bench/fleet.ts):
 * statement by statement the engine sent ≈ 9 messages per migration, and its Node process used
 * about as much CPU as the four PostgreSQL backends it fed. See bench/RESULTS.md for the figures.
 *
 * A failure is still pinned to its statement, file and line:
 *  - the server answers every statement with CommandComplete before it runs the next, so the number
 *    of CommandCompletes received before the ErrorResponse is the index of the failing statement,
 *    for every error (a unique violation, a timeout, a lock timeout: errors without a position);
 *  - an error with a `position` (an offset into the whole message, in characters) also gives the
 *    line inside the statement; it is turned back into an offset into that statement.
 */

/** The statements before and after the part, e.g. ["BEGIN", "SET LOCAL …"] and ["INSERT …", "COMMIT"]. */
export interface Envelope {
  before: readonly string[];
  after: readonly string[];
}

/** Where the message failed: in the envelope before or after the part, or in one of its statements. */
export type FailedAt = "before" | "part" | "after";

/**
 * Thrown for a failure inside the message. `targetError` is pinned to the statement when it was
 * one of the part's; `failedAt` says whether the envelope itself failed (e.g. the history insert
 * or COMMIT), `cause` is PostgreSQL's error.
 */
export class MessageError extends MigrationError {
  constructor(
    targetError: MigrationError["targetError"],
    readonly failedAt: FailedAt,
    override readonly cause: unknown,
  ) {
    super(targetError);
    this.name = "MessageError";
  }
}

interface PartText {
  /** The part's statements joined into one text, each terminated. */
  text: string;
  /** Length of `text` in code points (PostgreSQL counts positions in characters). */
  codePoints: number;
  /** Code-point offset in `text` of each statement's first character. */
  starts: number[];
}

const partTexts = new WeakMap<MigrationPart, PartText>();

const codePointLength = (s: string) => {
  if (/^[\x00-\x7f]*$/.test(s)) return s.length;
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * A statement's terminator: a newline first when its last line holds a `--` (a trailing comment
 * would otherwise swallow the semicolon).
 */
const terminated = (sql: string) => (/--[^\n]*$/.test(sql) ? `${sql}\n;\n` : `${sql};\n`);

/** The part's text, built once per catalog part (the catalog is immutable once loaded). */
function partText(part: MigrationPart): PartText {
  let cached = partTexts.get(part);
  if (!cached) {
    let text = "";
    let codePoints = 0;
    const starts: number[] = [];
    for (const s of part.statements) {
      starts.push(codePoints);
      const piece = terminated(s.sql);
      text += piece;
      codePoints += codePointLength(piece);
    }
    cached = { text, codePoints, starts };
    partTexts.set(part, cached);
  }
  return cached;
}

/**
 * Sends the envelope and the part as one message; resolves when every statement ran. Throws
 * MessageError (a MigrationError) when one failed; the session is then left as PostgreSQL left it
 * (inside an explicit transaction block that failed, the caller rolls back).
 */
export async function runInOneMessage(client: Pick<pg.ClientBase, "query">, migration: Migration, part: MigrationPart, envelope: Envelope) {
  const body = partText(part);
  const before = envelope.before.map(terminated).join("");
  const after = envelope.after.map(terminated).join("");
  const query = new CountingQuery(before + body.text + after);
  try {
    await client.query(query).done;
  } catch (error) {
    throw pinError(error, query.completed, migration, part, envelope, codePointLength(before), body);
  }
}

function pinError(
  error: unknown,
  completed: number,
  migration: Migration,
  part: MigrationPart,
  envelope: Envelope,
  beforeCodePoints: number,
  body: PartText,
): MessageError {
  const at = { migration, part };
  const raw = error as { position?: string; severity?: string };
  const position = raw?.severity && raw.position ? Number.parseInt(raw.position, 10) : NaN;
  let index: number;
  let statementPosition: number | null = null;
  if (Number.isFinite(position) && position > 0) {
    // The position is authoritative (a syntax error is reported before anything ran).
    const offset = position - 1 - beforeCodePoints;
    if (offset < 0) index = -1;
    else if (offset >= body.codePoints) index = part.statements.length;
    else {
      index = upperBound(body.starts, offset) - 1;
      statementPosition = offset - body.starts[index]! + 1;
    }
  } else {
    index = completed - envelope.before.length;
  }
  if (index < 0) return new MessageError(describeError(error, at), "before", error);
  if (index >= part.statements.length) return new MessageError(describeError(error, at), "after", error);
  const statement: Statement = part.statements[index]!;
  return new MessageError(describeError(error, { ...at, statement, statementPosition }), "part", error);
}

/** The number of elements of sorted `xs` that are ≤ `value`. */
function upperBound(xs: readonly number[], value: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A node-postgres submittable (the interface pg-cursor and pg-query-stream use) for a simple-query
 * message whose result rows nobody needs: it counts the CommandComplete messages, so a failure
 * says how many statements had finished, and builds no result objects.
 */
class CountingQuery implements pg.Submittable {
  completed = 0;
  readonly done: Promise<void>;
  private resolve!: () => void;
  private reject!: (error: unknown) => void;
  private failed = false;

  constructor(private readonly text: string) {
    this.done = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: pg.Connection) {
    connection.query(this.text);
  }

  handleCommandComplete() {
    this.completed++;
  }

  handleError(error: unknown) {
    this.failed = true;
    this.reject(error);
  }

  handleReadyForQuery() {
    if (!this.failed) this.resolve();
  }

  // Rows (a SELECT in a data fix) are not read.
  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyData() {}

  /** COPY … FROM STDIN has no data to read here: refuse it, as node-postgres's own Query does. */
  handleCopyInResponse(connection: pg.Connection & { sendCopyFail?: (message: string) => void }) {
    connection.sendCopyFail?.("COPY FROM STDIN is not supported in a migration");
  }
}
