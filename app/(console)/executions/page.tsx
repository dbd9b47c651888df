import { Suspense } from "react";
import { ExecutionsView } from "@/components/executions/executions-view";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/spinner";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Executions" };

/** Every execution. The data comes from /api/migrations, which checks migrations:read itself. */
export default async function ExecutionsPage() {
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:read")) {
    return <ErrorState title="Not available" message="Seeing executions needs the migrations:read permission." />;
  }
  return (
    <Suspense fallback={<LoadingState label="Loading executions…" />}>
      <ExecutionsView />
    </Suspense>
  );
}
