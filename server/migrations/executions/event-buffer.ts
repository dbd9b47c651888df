import { getDb } from "../../db/client";
import { getLogger } from "../../logging/logger";
import type { NewEvent } from "./events";
import { appendEvents } from "./events-repository";

/** How long migration events may wait before being written (the live view's extra latency). */
export const EVENT_FLUSH_MS = 250;

/**
 * Migration events are written without slowing the migrations: the engine's hook only queues them;
 * a timer writes what has gathered every EVENT_FLUSH_MS, and whatever a target still has queued
 * when it ends goes into the transaction that records its result. A failed write is logged (the
 * target's result still carries every outcome) rather than failing the target.
 *
 * The targets of one execution running in this process share one queue, so one small transaction
 * carries all of their events: with MIGRATION_DB_CONCURRENCY targets of 160 quick migrations each
 * running at once, a per-target queue cost that many control-plane transactions every 250 ms, as
 * much Node CPU as the migrations' own messages. Each target's events stay in their order.
 */
export interface EventLane {
  push(event: NewEvent): void;
  /** Stops queueing, waits for a write in progress, and hands over this target's events still queued. */
  drain(): Promise<NewEvent[]>;
}

class ExecutionEvents {
  queue: { lane: number; event: NewEvent }[] = [];
  lanes = 0;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly executionId: string) {}

  push(lane: number, event: NewEvent) {
    this.queue.push({ lane, event });
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.writing = this.writing.then(() => this.write());
    }, EVENT_FLUSH_MS);
  }

  async take(lane: number): Promise<NewEvent[]> {
    // A write in progress may carry this target's earlier events: they go first.
    await this.writing;
    const mine = this.queue.filter((q) => q.lane === lane).map((q) => q.event);
    this.queue = this.queue.filter((q) => q.lane !== lane);
    return mine;
  }

  stop() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async write() {
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    try {
      // One statement on its own: the execution's row is locked only while it runs (see appendEvents).
      await appendEvents(getDb(), this.executionId, batch.map((q) => q.event));
    } catch (error) {
      getLogger().warn({ err: error, executionId: this.executionId }, "writing migration events failed");
    }
  }
}

const byExecution = new Map<string, ExecutionEvents>();
let lastLane = 0;

/** A target's lane into its execution's shared queue of migration events. */
export function openEventLane(executionId: string): EventLane {
  let shared = byExecution.get(executionId);
  if (!shared) byExecution.set(executionId, (shared = new ExecutionEvents(executionId)));
  const events = shared;
  events.lanes++;
  const lane = ++lastLane;
  let drained: Promise<NewEvent[]> | null = null;
  return {
    push(event) {
      if (!drained) events.push(lane, event);
    },
    drain() {
      if (drained) return drained.then(() => []);
      drained = events.take(lane).finally(() => {
        events.lanes--;
        if (events.lanes === 0 && events.queue.length === 0 && byExecution.get(executionId) === events) {
          events.stop();
          byExecution.delete(executionId);
        }
      });
      return drained;
    },
  };
}
