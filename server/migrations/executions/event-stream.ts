import { getDb } from "../../db/client";
import { getEventHub } from "./event-hub";
import { readEvents, type StoredEvent } from "./events-repository";
import * as repo from "./repository";

/**
 * An execution's events as Server-Sent Events: every stored event after `after`, in id order, then
 * new ones as they are committed, until the execution has ended and its last event is sent.
 *
 *   id: 1234
 *   event: target_finished
 *   data: {"id":1234,"execution_id":"…","type":"target_finished","created_at":"…","payload":{…}}
 *
 * `id:` is the event's row id, so a browser's EventSource reconnects with Last-Event-ID and misses
 * nothing. Comment lines (`: heartbeat`) every HEARTBEAT_MS keep proxies from closing an idle
 * stream. Reading is pull-driven: a slow client slows the reads, it never buffers the history.
 */

export const HEARTBEAT_MS = 15_000;
/** The stream re-reads on its own this often, whatever the notifications say. */
const POLL_MS = 5_000;
const PAGE = 500;

export interface EventStreamOptions {
  executionId: string;
  after: number;
  signal?: AbortSignal;
  heartbeatMs?: number;
  pollMs?: number;
}

const encoder = new TextEncoder();

export function formatEvent(executionId: string, e: StoredEvent): string {
  const data = JSON.stringify({ id: e.id, execution_id: executionId, type: e.type, created_at: e.createdAt.toISOString(), payload: e.payload });
  return `id: ${e.id}\nevent: ${e.type}\ndata: ${data}\n\n`;
}

export function executionEventStream(opts: EventStreamOptions): ReadableStream<Uint8Array> {
  let lastId = opts.after;
  let closed = false;
  let finished = false;
  let wake: (() => void) | null = null;
  let pendingWake = false;
  let unsubscribe: () => void = () => {};
  let heartbeat: NodeJS.Timeout | undefined;
  let abortListener: (() => void) | undefined;

  const wakeUp = () => {
    if (wake) {
      const w = wake;
      wake = null;
      w();
    } else pendingWake = true;
  };
  const cleanup = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    if (abortListener) opts.signal?.removeEventListener("abort", abortListener);
    wakeUp();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pendingWake || closed) {
        pendingWake = false;
        return resolve();
      }
      const timer = setTimeout(() => {
        wake = null;
        resolve();
      }, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return new ReadableStream<Uint8Array>({
    start(controller) {
      unsubscribe = getEventHub().subscribe(opts.executionId, wakeUp);
      controller.enqueue(encoder.encode("retry: 3000\n\n"));
      heartbeat = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(`: heartbeat ${new Date().toISOString()}\n\n`));
      }, opts.heartbeatMs ?? HEARTBEAT_MS);
      abortListener = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      if (opts.signal?.aborted) abortListener();
      else opts.signal?.addEventListener("abort", abortListener);
    },
    async pull(controller) {
      while (!closed) {
        // Status first, then events: the final event commits with the final status, so once the
        // execution reads as ended, the read that follows sees every event it will ever have.
        const ended = finished || (await hasEnded(opts.executionId));
        const events = await readEvents(getDb(), opts.executionId, lastId, PAGE);
        if (closed) return;
        for (const e of events) {
          controller.enqueue(encoder.encode(formatEvent(opts.executionId, e)));
          lastId = e.id;
          if (e.type === "execution_finished") finished = true;
        }
        if (events.length === PAGE) return;
        if (ended || finished) {
          cleanup();
          controller.close();
          return;
        }
        if (events.length > 0) return;
        await sleep(opts.pollMs ?? POLL_MS);
      }
    },
    cancel() {
      cleanup();
    },
  });
}

async function hasEnded(executionId: string): Promise<boolean> {
  const row = await repo.findExecution(getDb(), executionId);
  return !row || repo.TERMINAL_EXECUTION.includes(row.status);
}
