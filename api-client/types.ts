import type { z } from "zod";
import type { Endpoint, HttpMethod } from "@/server/contracts/endpoint";

/**
 * Types of the typed client, derived from the endpoint contracts (type-only imports: no server code
 * reaches a browser bundle). An operation's input and result are the zod schemas' input and output.
 */

/** What a success answer carries: the response schema's JSON, text (Prometheus, streams) or nothing (204). */
export type ResultKind = "json" | "text" | "empty";

/** One operation of the REST API: where it lives, and (as types) its contract and result kind. */
export interface Operation<E extends Endpoint = Endpoint, K extends ResultKind = ResultKind> {
  method: HttpMethod;
  path: string;
  /** Never set at run time: carries the endpoint's type. */
  readonly contract?: E;
  readonly result?: K;
}

type Part<Key extends string, S> = S extends z.ZodType
  ? Record<never, never> extends z.input<S>
    ? { [K in Key]?: z.input<S> }
    : { [K in Key]: z.input<S> }
  : { [K in Key]?: never };

export type CallInput<E> =
  E extends Endpoint<infer P, infer Q, infer B, infer _R, infer _A>
    ? Part<"params", P> & Part<"query", Q> & Part<"body", B> & CallOptions
    : never;

export interface CallOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** The success body: the response schema's output, text, or null for 204. */
export type CallResult<E, K extends ResultKind> = K extends "text"
  ? string
  : K extends "empty"
    ? null
    : E extends Endpoint<infer _P, infer _Q, infer _B, infer R, infer _A>
      ? R extends z.ZodType
        ? z.output<R>
        : never
      : never;

export type ContractOf<O> = O extends Operation<infer E, infer _K> ? E : never;
export type ResultKindOf<O> = O extends Operation<infer _E, infer K> ? K : never;

/** `(input)` when some part is required, `(input?)` when everything is optional. */
export type OperationCall<O> = Record<never, never> extends CallInput<ContractOf<O>>
  ? (input?: CallInput<ContractOf<O>>) => Promise<CallResult<ContractOf<O>, ResultKindOf<O>>>
  : (input: CallInput<ContractOf<O>>) => Promise<CallResult<ContractOf<O>, ResultKindOf<O>>>;

/** The body of every error response. */
export interface ApiErrorBody {
  error: string;
  message: string;
  details: Record<string, unknown>;
}
