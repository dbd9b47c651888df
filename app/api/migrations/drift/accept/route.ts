// POST /api/migrations/drift/accept — drifted targets take the file's current checksum; the old one goes to the audit.
import { route } from "@/server/http/route";
import { acceptDriftEndpoint } from "@/server/migrations/history-edits/api";
import { acceptDriftInScope, resolveAuditDetails } from "@/server/migrations/history-edits/resolve-service";

export const POST = route(acceptDriftEndpoint, async ({ body, audit }) => {
  audit.details = { reason: body.reason, migration_ids: body.migration_ids };
  const report = await acceptDriftInScope(body);
  audit.details = resolveAuditDetails(report, body, body.migration_ids);
  return report;
});
