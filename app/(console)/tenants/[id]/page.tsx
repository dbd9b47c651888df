import { TenantMigrationsPanel } from "@/components/executions/tenant-migrations-panel";
import { TenantDetail } from "@/components/tenants/tenant-detail";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Tenant" };

/** One tenant: where it lives, what is applied and pending in its schema, and migrating it alone. */
export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:read")) {
    return <ErrorState title="Not available" message="Seeing tenants needs the migrations:read permission." />;
  }
  return (
    <TenantDetail id={id}>
      <TenantMigrationsPanel tenantId={id} />
    </TenantDetail>
  );
}
