// POST /api/migrations/interrupted/resolve — mark an interrupted transaction: false migration applied, or clear it to run again.
import { route } from "@/server/http/route";
import { resolveInterruptedEndpoint } from "@/server/migrations/history-edits/api";
import { resolveAuditDetails, resolveInterruptedInScope } from "@/server/migrations/history-edits/resolve-service";

export const POST = route(resolveInterruptedEndpoint, async ({ body, audit }) => {
  audit.details = { reason: body.reason, resolution: body.resolution, migration_ids: body.migration_ids };
  const report = await resolveInterruptedInScope(body);
  audit.details = resolveAuditDetails(report, body, body.migration_ids);
  return report;
});
