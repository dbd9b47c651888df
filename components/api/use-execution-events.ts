"use client";

import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { applyStreamedEvents, type ExecutionEvent } from "./apply-execution-event";
import { isFinished, type ExecutionDetail } from "./execution-types";
import { planKeys } from "./get-plan";
import { tenantMigrationKeys } from "./get-tenant-migrations";
import { executionKeys } from "./list-executions";
import { SseParser } from "./sse-parser";

export type StreamState = "idle" | "connecting" | "live" | "reconnecting" | "ended" | "failed";

const MAX_BACKOFF_MS = 15_000;
/**
 * The server sends a heartbeat every 15 s. A stream silent for three of them is a dead connection
 * the browser has not noticed (a half-open TCP connection after a network change): drop it and
 * resume.
 */
const SILENCE_MS = 45_000;
/** Events arriving within this window reach the page as one update (a big fleet sends hundreds a second). */
const FLUSH_MS = 100;

/**
 * Follows GET /api/migrations/{id}/events and folds every event into the execution's cached status
 * (no polling). A dropped connection reconnects with backoff and resumes after the last event it
 * saw (Last-Event-ID), so nothing is missed; once execution_finished arrives, the status is read
 * once more so the page ends on exactly the server's numbers.
 */
export function useExecutionEvents(id: string, enabled: boolean): { state: StreamState; lastEventId: number } {
  const client = useQueryClient();
  const [state, setState] = useState<StreamState>("idle");
  // Per execution: a page that moves on to another execution starts from nothing streamed.
  const [streamed, setStreamed] = useState({ id, lastEventId: 0 });

  useEffect(() => {
    if (!enabled) return;
    let stopped = false;
    let current: StreamState = "idle";
    let controller: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let flushTimer: ReturnType<typeof setTimeout> | undefined;
    // The status the page shows says which event it already includes: stream only what follows
    // (folding is idempotent, so an event the status already reflects costs nothing).
    const shown = client.getQueriesData<ExecutionDetail>({ queryKey: executionKeys.detail(id) })[0]?.[1];
    let lastId = shown?.last_event_id ?? 0;
    let lastActivity = Date.now();
    let retryMs = 1_000;
    let failures = 0;
    let finished = false;
    let batch: ExecutionEvent[] = [];

    const show = (next: StreamState) => {
      current = next;
      setState(next);
    };

    const flush = () => {
      flushTimer = undefined;
      if (batch.length === 0) return;
      const events = batch;
      batch = [];
      client.setQueriesData<ExecutionDetail>({ queryKey: executionKeys.detail(id) }, (old) => (old ? applyStreamedEvents(old, events, lastId) : old));
      setStreamed({ id, lastEventId: lastId });
      // Settle from here, not from the stream loop: applying the last event ends the page's
      // interest in the stream (this effect is cleaned up) before the loop sees the stream close.
      if (events.some((e) => e.type === "execution_finished")) void settle(client, id);
    };

    const onEvent = (data: string, eventId: string | null) => {
      let event: ExecutionEvent;
      try {
        event = JSON.parse(data) as ExecutionEvent;
      } catch {
        return;
      }
      if (eventId) lastId = Math.max(lastId, Number(eventId) || 0);
      if (event.type === "execution_finished") finished = true;
      batch.push(event);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
    };

    const reconnectSoon = () => {
      if (stopped) return;
      failures += 1;
      show("reconnecting");
      const delay = Math.min(retryMs * 2 ** Math.min(failures - 1, 4), MAX_BACKOFF_MS);
      timer = setTimeout(connect, delay);
    };

    const onOnline = () => {
      if (stopped || finished || !timer) return;
      clearTimeout(timer);
      timer = undefined;
      void connect();
    };
    // Losing the network does not always break an open stream at once: give it up right away and
    // resume from the last event as soon as the browser is back online.
    const onOffline = () => controller?.abort();
    const watchdog = setInterval(() => {
      if (current === "live" && Date.now() - lastActivity > SILENCE_MS) controller?.abort();
    }, 5_000);

    async function connect() {
      timer = undefined;
      if (stopped) return;
      controller = new AbortController();
      show(failures ? "reconnecting" : "connecting");
      let endedCleanly = false;
      try {
        const response = await fetch(`/api/migrations/${encodeURIComponent(id)}/events${lastId ? `?after=${lastId}` : ""}`, {
          headers: { accept: "text/event-stream", ...(lastId ? { "last-event-id": String(lastId) } : {}) },
          credentials: "same-origin",
          cache: "no-store",
          signal: controller.signal,
        });
        if (!response.ok || !response.body) {
          // 403/404 will not change by retrying; anything else (502 from a proxy, 503) might.
          if (response.status >= 400 && response.status < 500 && response.status !== 429) {
            show("failed");
            return;
          }
          throw new Error(`events: HTTP ${response.status}`);
        }
        failures = 0;
        lastActivity = Date.now();
        show("live");
        const parser = new SseParser(
          (m) => onEvent(m.data, m.id),
          (ms) => (retryMs = ms),
        );
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          lastActivity = Date.now();
          parser.push(value);
        }
        endedCleanly = true;
      } catch {
        if (stopped) return;
      }
      if (stopped) return;
      flush();
      if (finished) {
        show("ended");
        return;
      }
      if (endedCleanly) {
        // The server closes a stream only once the execution has ended; if its last event never
        // came (an execution ended some other way), read the status instead of reconnecting forever.
        await client.invalidateQueries({ queryKey: executionKeys.detail(id) });
        const now = client.getQueriesData<ExecutionDetail>({ queryKey: executionKeys.detail(id) })[0]?.[1];
        if (stopped) return;
        if (now && isFinished(now.status)) {
          show("ended");
          return;
        }
      }
      // The stream broke before the execution ended: resume after the last event seen.
      reconnectSoon();
    }

    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    void connect();
    return () => {
      stopped = true;
      clearInterval(watchdog);
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      clearTimeout(timer);
      clearTimeout(flushTimer);
      controller?.abort();
    };
  }, [client, id, enabled]);

  return { state, lastEventId: streamed.id === id ? streamed.lastEventId : 0 };
}

/** After the last event: read the final state once, and refresh what the execution changed. */
async function settle(client: QueryClient, id: string) {
  const detail = client.getQueriesData<ExecutionDetail>({ queryKey: executionKeys.detail(id) })[0]?.[1];
  await client.invalidateQueries({ queryKey: executionKeys.detail(id) });
  void client.invalidateQueries({ queryKey: executionKeys.lists });
  if (detail && !detail.dry_run) {
    void client.invalidateQueries({ queryKey: planKeys.all });
    void client.invalidateQueries({ queryKey: tenantMigrationKeys.all });
  }
  const original = detail?.metadata.rollback_of;
  if (typeof original === "string") void client.invalidateQueries({ queryKey: executionKeys.detail(original) });
}
