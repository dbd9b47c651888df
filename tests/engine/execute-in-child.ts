/**
 * Runs executeTarget in its own process, for the concurrency test: argv is the catalog folder, the
 * database URL, the target as JSON and a start time (ms since epoch) all processes wait for, so
 * their executions overlap. Prints the result as JSON on stdout.
 */
import { loadCatalog } from "../../server/migrations/engine/catalog";
import { executeTarget } from "../../server/migrations/engine/execute-target";
import { withNewClient } from "../../server/migrations/engine/target-run";
import type { Target } from "../../server/migrations/engine/types";

const [dir, url, targetJson, startAt] = process.argv.slice(2);
const catalog = await loadCatalog(dir!);
const target = JSON.parse(targetJson!) as Target;
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const result = await executeTarget({
  catalog,
  target,
  withClient: withNewClient({ connectionString: url }),
  lockWaitMs: 60_000,
  executionId: `pid-${process.pid}`,
});
process.stdout.write(JSON.stringify(result));
