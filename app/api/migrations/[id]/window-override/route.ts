// POST /api/migrations/{id}/window-override — an admin starts an execution's targets outside their maintenance windows, with a reason.
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";
import { overrideMaintenanceWindowEndpoint } from "@/server/maintenance-windows/api";
import { overrideWindows } from "@/server/migrations/executions/window-override";

export const POST = route(overrideMaintenanceWindowEndpoint, async ({ params, body, principal, audit }) => {
  const result = await overrideWindows(params.id, actorName(principal), body.reason);
  audit.resourceId = params.id;
  audit.details = { reason: body.reason, targets_released: result.targets_released };
  return result;
});
