import { SchedulesView } from "@/components/schedules/schedules-view";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Schedules" };

/** Schedules. The data comes from /api/schedules, which checks migrations:manage itself. */
export default async function SchedulesPage() {
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:manage")) {
    return <ErrorState title="Not available" message="Seeing and managing schedules needs the migrations:manage permission." />;
  }
  return <SchedulesView />;
}
