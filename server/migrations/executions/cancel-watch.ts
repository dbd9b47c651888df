import { getSettings } from "../../config/settings";
import { getDb } from "../../db/client";
import { getLogger } from "../../logging/logger";
import { findCancelRequested } from "./repository";

/**
 * Tells running targets that their execution was cancelled. One poll per process (every
 * MIGRATION_POLL_INTERVAL_MS, only while this process runs targets) asks which of the executions
 * it is working on have a cancel request; their targets' signals fire, and the engine lets the
 * current migration finish and skips the rest. A cancel reaches targets on any worker this way,
 * without the API having to know where they run.
 */

const watchers = new Map<string, Set<AbortController>>();
let timer: NodeJS.Timeout | null = null;

export function watchCancellation(executionId: string): { signal: AbortSignal; checkNow: () => Promise<void>; release: () => void } {
  const controller = new AbortController();
  let set = watchers.get(executionId);
  if (!set) watchers.set(executionId, (set = new Set()));
  set.add(controller);
  ensureTimer();
  return {
    signal: controller.signal,
    // Between two polls (a target that waited for its lock is about to start): ask now. A failed
    // read is left to the next poll, as the poll itself does.
    checkNow: async () => {
      try {
        if ((await findCancelRequested(getDb(), [executionId])).length > 0) controller.abort("cancelled");
      } catch (error) {
        getLogger().warn({ err: error }, "checking for a cancel failed");
      }
    },
    release: () => {
      const s = watchers.get(executionId);
      s?.delete(controller);
      if (s && s.size === 0) watchers.delete(executionId);
    },
  };
}

function ensureTimer() {
  if (timer) return;
  timer = setInterval(() => void poll(), getSettings().migrations.pollIntervalMs);
  timer.unref();
}

let polling = false;

async function poll() {
  if (watchers.size === 0) {
    if (timer) clearInterval(timer);
    timer = null;
    return;
  }
  if (polling) return;
  polling = true;
  try {
    const cancelled = await findCancelRequested(getDb(), [...watchers.keys()]);
    for (const id of cancelled) for (const c of watchers.get(id) ?? []) c.abort("cancelled");
  } catch (error) {
    getLogger().warn({ err: error }, "checking for cancelled executions failed");
  } finally {
    polling = false;
  }
}
