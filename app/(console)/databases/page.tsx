import { DatabasesView } from "@/components/databases/databases-view";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Databases" };

/** Databases: the registered fleet. The data comes from /api/databases, which checks databases:read itself. */
export default async function DatabasesPage() {
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "databases:read")) {
    return <ErrorState title="Not available" message="Seeing the registered databases needs the databases:read permission." />;
  }
  return <DatabasesView />;
}
