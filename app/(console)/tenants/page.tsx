import { TenantsView } from "@/components/tenants/tenants-view";
import { MIGRATION_STATE_FILTERS, type MigrationStateFilter } from "@/server/contracts/migration-state";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Tenants" };

/**
 * Tenants: who lives where and how far each one's schema is migrated. The data comes from
 * /api/tenants, which checks migrations:read itself. `?state=behind&region=eu-west-1` opens it filtered.
 */
export default async function TenantsPage({ searchParams }: { searchParams: Promise<{ state?: string; region?: string }> }) {
  const { state, region } = await searchParams;
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:read")) {
    return <ErrorState title="Not available" message="Seeing tenants needs the migrations:read permission." />;
  }
  const initial = {
    state: (MIGRATION_STATE_FILTERS as readonly string[]).includes(state ?? "") ? (state as MigrationStateFilter) : undefined,
    region: typeof region === "string" && /^[a-z0-9][a-z0-9-]{0,49}$/.test(region) ? region : undefined,
  };
  return <TenantsView initial={initial} />;
}
