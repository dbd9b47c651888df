import type { BackgroundService } from "./background-service";

export interface PeriodicOptions {
  name: string;
  intervalMs: number;
  /** Delay before the first run (default: one interval). */
  firstRunAfterMs?: number;
  /** One run; it handles (logs) its own errors. */
  run: () => Promise<void>;
  /** After the last run has finished, on stop. */
  afterStop?: () => Promise<void>;
}

/**
 * Runs work every `intervalMs` in the background. Runs never overlap in one process (the next is
 * scheduled when one ends); the timer does not keep the process alive; stopping waits for a
 * running round. Coordination across processes is the work's own business (locks, compare-and-set).
 */
export function startPeriodic(opts: PeriodicOptions): BackgroundService {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = opts.run().finally(() => schedule(opts.intervalMs));
    }, ms);
    timer.unref();
  };
  schedule(opts.firstRunAfterMs ?? opts.intervalMs);
  return {
    name: opts.name,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
      await opts.afterStop?.();
    },
  };
}
