import { collectDefaultMetrics, Counter, Gauge, Histogram, register, type Metric } from "prom-client";

/**
 * Metrics live in prom-client's default registry. Next may load this module once per route bundle
 * (and the worker loads it outside Next), so every metric is created once per process: the first
 * copy registers it, later copies find it by name.
 */
function once<M extends Metric>(name: string, create: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? create();
}

export const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  once(name, () => new Counter<L>({ name, help, labelNames }));

export const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) =>
  once(name, () => new Gauge<L>({ name, help, labelNames }));

export const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
  once(name, () => new Histogram<L>({ name, help, labelNames, buckets }));

const defaultsKey = Symbol.for("console.defaultMetrics");

/** Node's process metrics (CPU, memory, event loop lag, GC), collected once per process. */
export function ensureDefaultMetrics() {
  const g = globalThis as typeof globalThis & { [defaultsKey]?: true };
  if (g[defaultsKey] || register.getSingleMetric("process_cpu_user_seconds_total")) return;
  g[defaultsKey] = true;
  collectDefaultMetrics();
}

export { register };
