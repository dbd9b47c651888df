/**
 * A console instance's schedule firer as a process of its own (the firing test starts two).
 * Prints "[firer] ready" once polling; stops cleanly on SIGTERM.
 */
import { getSettings } from "../../server/config/settings";
import { closeControlPlane } from "../../server/db/client";
import { startScheduleFirer } from "../../server/schedules/firer";

const service = await startScheduleFirer(getSettings());
if (!service) throw new Error("schedule firer disabled");
// The console's web server keeps its process alive; here a timer does (the firer's own is unref'd).
const keepAlive = setInterval(() => {}, 60_000);
process.stdout.write("[firer] ready\n");
process.on("SIGTERM", () => {
  clearInterval(keepAlive);
  void service
    .stop()
    .then(closeControlPlane)
    .finally(() => process.exit(0));
});
