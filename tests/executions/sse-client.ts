import * as eventsRoute from "../../app/api/migrations/[id]/events/route";

/** A minimal EventSource for tests: calls the real route handler and parses the stream. */

export interface SseMessage {
  id: number | null;
  event: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test code reads arbitrary JSON
  data: any;
}

export interface SseConnection {
  status: number;
  messages: SseMessage[];
  comments: string[];
  /** Resolves when the server ends the stream or the client disconnects. */
  ended: Promise<"server" | "client">;
  /** Resolves once `n` messages have arrived. */
  untilCount(n: number, timeoutMs?: number): Promise<void>;
  disconnect(): void;
}

export async function openEvents(
  token: string,
  executionId: string,
  opts: { lastEventId?: number; after?: number } = {},
): Promise<SseConnection> {
  const url = new URL(`http://localhost:3000/api/migrations/${executionId}/events`);
  if (opts.after !== undefined) url.searchParams.set("after", String(opts.after));
  const abort = new AbortController();
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: "text/event-stream" };
  if (opts.lastEventId !== undefined) headers["last-event-id"] = String(opts.lastEventId);
  const response = await eventsRoute.GET(new Request(url, { headers, signal: abort.signal }), {
    params: Promise.resolve({ id: executionId }),
  });
  const messages: SseMessage[] = [];
  const comments: string[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  let clientClosed = false;

  const notify = () => {
    for (const w of [...waiters]) {
      if (messages.length >= w.n) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };

  const ended = (async (): Promise<"server" | "client"> => {
    if (!response.body) return "server";
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch {
        return "client";
      }
      if (chunk.done) return clientClosed ? "client" : "server";
      buffer += decoder.decode(chunk.value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const message: SseMessage = { id: null, event: null, data: null };
        let isMessage = false;
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) comments.push(line.slice(1).trim());
          else if (line.startsWith("id: ")) {
            message.id = Number(line.slice(4));
            isMessage = true;
          }
          else if (line.startsWith("event: ")) message.event = line.slice(7);
          else if (line.startsWith("data: ")) message.data = JSON.parse(line.slice(6));
        }
        if (isMessage) messages.push(message);
      }
      notify();
    }
  })();

  return {
    status: response.status,
    messages,
    comments,
    ended,
    untilCount: (n, timeoutMs = 30_000) =>
      new Promise<void>((resolve, reject) => {
        if (messages.length >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${n} events after ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          n,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      }),
    disconnect: () => {
      clientClosed = true;
      abort.abort();
    },
  };
}
