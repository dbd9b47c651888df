// GET /api/migrations/{id}/events — the execution's events as Server-Sent Events, resumable.
import { executionEventsEndpoint } from "@/server/migrations/api";
import { executionEventStream } from "@/server/migrations/executions/event-stream";
import { getExecutionRowOrThrow } from "@/server/migrations/executions/read-executions";
import { route } from "@/server/http/route";

export const dynamic = "force-dynamic";

export const GET = route(executionEventsEndpoint, async ({ request, params, query }) => {
  await getExecutionRowOrThrow(params.id);
  const header = Number.parseInt(request.headers.get("last-event-id") ?? "", 10);
  const after = Math.max(Number.isFinite(header) && header > 0 ? header : 0, query.after ?? 0);
  const stream = executionEventStream({ executionId: params.id, after, signal: request.signal });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      // Proxies such as nginx would otherwise buffer the stream.
      "x-accel-buffering": "no",
    },
  });
});
