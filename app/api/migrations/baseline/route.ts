// POST /api/migrations/baseline — mark a scope's targets as migrated up to a version, objects checked first.
import { actorName } from "@/server/auth/principal";
import { route } from "@/server/http/route";
import { baselineEndpoint } from "@/server/migrations/history-edits/api";
import { baselineAuditDetails, baselineScope } from "@/server/migrations/history-edits/baseline-service";

export const POST = route(baselineEndpoint, async ({ body, principal, audit }) => {
  audit.details = baselineAuditDetails(body);
  const report = await baselineScope(body, actorName(principal));
  audit.details = baselineAuditDetails(body, report);
  return report;
});
