import { Suspense } from "react";
import { PlanView } from "@/components/plan/plan-view";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/spinner";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Plan" };

/** Plan, rehearse and execute. The plan comes from /api/migrations/dynamic/plan (migrations:read). */
export default async function PlanRoute() {
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:read")) {
    return <ErrorState title="Not available" message="Seeing plans needs the migrations:read permission." />;
  }
  return (
    <Suspense fallback={<LoadingState label="Loading the plan…" />}>
      <PlanView />
    </Suspense>
  );
}
