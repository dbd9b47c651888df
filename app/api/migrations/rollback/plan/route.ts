// GET /api/migrations/rollback/plan — what a rollback would undo per target, and what would refuse it.
import { rollbackPlanEndpoint } from "@/server/migrations/api";
import { planExecutionRollback, planVersionRollback, rollbackPlanView } from "@/server/migrations/executions/rollback-plan";
import { route } from "@/server/http/route";

export const GET = route(rollbackPlanEndpoint, async ({ query }) =>
  rollbackPlanView(
    query.execution_id
      ? await planExecutionRollback(query.execution_id, query.target_ids, "query")
      : await planVersionRollback({ database_id: query.database_id!, schema_name: query.schema_name, tenant_id: query.tenant_id, to_version: query.to_version! }, "query"),
    { limit: query.limit, offset: query.offset },
  ),
);
