import { TenantsView } from "@/components/tenants/tenants-view";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Tenants" };

/** Tenants: who lives where. The data comes from /api/tenants, which checks migrations:read itself. */
export default async function TenantsPage() {
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:read")) {
    return <ErrorState title="Not available" message="Seeing tenants needs the migrations:read permission." />;
  }
  return <TenantsView />;
}
