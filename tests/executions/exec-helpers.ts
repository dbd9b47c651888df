import * as executeRoute from "../../app/api/migrations/execute/route";
import * as statusRoute from "../../app/api/migrations/status/[id]/route";
import { readEvents, type StoredEvent } from "../../server/migrations/executions/events-repository";
import { getDb } from "../../server/db/client";
import { waitFor } from "../support/test-env";
import { type ApiResponse, call } from "../support/api-call";

/** Execution test helpers: start through the real route, then wait on the real status route. */

export async function execute(token: string, body: Record<string, unknown>): Promise<ApiResponse> {
  return call(executeRoute.POST, "POST", "/api/migrations/execute", { token, body });
}

export async function executeOrThrow(token: string, body: Record<string, unknown>): Promise<string> {
  const res = await execute(token, body);
  if (res.status !== 202) throw new Error(`execute answered ${res.status}: ${res.text}`);
  return res.json.id as string;
}

export async function status(token: string, id: string, query: Record<string, string> = {}): Promise<ApiResponse> {
  return call(statusRoute.GET, "GET", `/api/migrations/status/${id}`, {
    token,
    params: { id },
    query: { target_limit: "5000", ...query },
  });
}

const TERMINAL = ["completed", "failed", "cancelled", "rolled_back"];

/** Polls the status route until the execution ends; returns its last body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
export async function waitForEnd(token: string, id: string, timeoutMs = 60_000): Promise<any> {
  return waitFor(
    `execution ${id} to end`,
    async () => {
      const res = await status(token, id);
      return TERMINAL.includes(res.json?.status) ? res.json : undefined;
    },
    timeoutMs,
    150,
  );
}

export async function allEvents(executionId: string): Promise<StoredEvent[]> {
  return readEvents(getDb(), executionId, 0, 1_000_000);
}
