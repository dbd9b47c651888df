/**
 * A small SQL tokenizer for display only: it splits text into coloured runs and never validates.
 * Joining every token's text gives back the input exactly, so highlighting cannot alter the SQL an
 * operator reads. It knows PostgreSQL's lexical forms that would otherwise mis-colour large spans:
 * dollar quoting, E'' strings, nested block comments, quoted identifiers, and the migration file
 * directives (`-- migrate:up`, `-- requires: …`).
 */

export type SqlTokenType =
  | "keyword"
  | "string"
  | "number"
  | "comment"
  | "directive"
  | "identifier"
  | "parameter"
  | "operator"
  | "punctuation"
  | "whitespace"
  | "word";

export interface SqlToken {
  type: SqlTokenType;
  text: string;
}

// Common DDL/DML/transaction words; a word not here is shown as plain text, which is harmless.
const KEYWORDS = new Set(
  `add after all alter always analyze and any array as asc authorization before begin between bigint
  bigserial boolean both by cascade case cast check collate column comment commit concurrently constraint
  create cross current_date current_timestamp cycle default deferrable deferred delete desc distinct do
  domain drop each else end enum except exclude execute exists extension false fetch filter first for
  foreign from full function generated grant group having identity if ilike immediate in include index
  inherits initially inner insert instead integer intersect interval into is join jsonb key language
  last lateral leading left like limit local lock materialized natural no not nothing notify null nulls
  numeric of offset on only or order outer over owned owner partition policy primary privileges
  procedure publication references referencing refresh rename replace restrict returning returns revoke
  right role rollback row rows savepoint schema security select sequence serial set setof show smallint
  stored table tablespace temp temporary text then timestamp timestamptz to trailing transaction trigger
  true truncate type union unique unlogged update using uuid vacuum valid values varchar view volatile
  stable immutable when where window with without zone plpgsql declare raise exception notice perform
  loop while return varying character double precision date time real bytea json`.split(/\s+/),
);

const DIRECTIVE = /^--\s*(migrate:(up|down)\b|(requires|transaction|timeout)\s*:)/i;
const WORD = /[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const DOLLAR_TAG = /\$([A-Za-z_][\w]*)?\$/y;
const PARAMETER = /\$\d+/y;
const WHITESPACE = /\s+/y;
// Stops before `--` and `/*` so a comment glued to an operator still reads as a comment.
const OPERATOR = /(?:(?!--|\/\*)[-+*/<>=~!@#%^&|`?:])+/y;

function matchAt(pattern: RegExp, source: string, index: number): string | null {
  pattern.lastIndex = index;
  const match = pattern.exec(source);
  return match ? match[0] : null;
}

/** End index (exclusive) of a quoted run starting at `start`; an unclosed quote runs to the end. */
function quotedEnd(source: string, start: number, quote: string, backslashEscapes: boolean): number {
  let i = start + 1;
  while (i < source.length) {
    const ch = source[i];
    if (backslashEscapes && ch === "\\") {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (source[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return source.length;
}

/** PostgreSQL block comments nest. */
function blockCommentEnd(source: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    if (source.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (source.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return source.length;
}

export function tokenizeSql(source: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let index = 0;
  const push = (type: SqlTokenType, end: number) => {
    const text = source.slice(index, end);
    const last = tokens[tokens.length - 1];
    // Merge runs of plain punctuation/whitespace to keep the rendered DOM small.
    if (last && last.type === type && (type === "whitespace" || type === "punctuation")) last.text += text;
    else tokens.push({ type, text });
    index = end;
  };

  while (index < source.length) {
    const ch = source[index] as string;
    const next = source[index + 1];

    if (ch === "-" && next === "-") {
      const lineEnd = source.indexOf("\n", index);
      const end = lineEnd === -1 ? source.length : lineEnd;
      push(DIRECTIVE.test(source.slice(index, end)) ? "directive" : "comment", end);
      continue;
    }
    if (ch === "/" && next === "*") {
      push("comment", blockCommentEnd(source, index));
      continue;
    }
    if (ch === "'") {
      push("string", quotedEnd(source, index, "'", false));
      continue;
    }
    if ((ch === "E" || ch === "e") && next === "'") {
      push("string", quotedEnd(source, index + 1, "'", true));
      continue;
    }
    if (ch === '"') {
      push("identifier", quotedEnd(source, index, '"', false));
      continue;
    }
    if (ch === "$") {
      const tag = matchAt(DOLLAR_TAG, source, index);
      if (tag) {
        const close = source.indexOf(tag, index + tag.length);
        push("string", close === -1 ? source.length : close + tag.length);
        continue;
      }
      const parameter = matchAt(PARAMETER, source, index);
      if (parameter) {
        push("parameter", index + parameter.length);
        continue;
      }
    }
    const whitespace = matchAt(WHITESPACE, source, index);
    if (whitespace) {
      push("whitespace", index + whitespace.length);
      continue;
    }
    const word = matchAt(WORD, source, index);
    if (word) {
      push(KEYWORDS.has(word.toLowerCase()) ? "keyword" : "word", index + word.length);
      continue;
    }
    const number = matchAt(NUMBER, source, index);
    if (number) {
      push("number", index + number.length);
      continue;
    }
    const operator = matchAt(OPERATOR, source, index);
    if (operator) {
      push("operator", index + operator.length);
      continue;
    }
    push("punctuation", index + 1);
  }
  return tokens;
}
