import { ExecutionView } from "@/components/executions/execution-view";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Execution" };

/** One execution, followed live. The data comes from /api/migrations/status/{id} and its event stream. */
export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:read")) {
    return <ErrorState title="Not available" message="Seeing executions needs the migrations:read permission." />;
  }
  return <ExecutionView id={id} />;
}
