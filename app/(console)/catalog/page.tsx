import { Suspense } from "react";
import { CatalogView } from "@/components/catalog/catalog-view";
import { ErrorState } from "@/components/ui/error-state";
import { LoadingState } from "@/components/ui/spinner";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Catalog" };

/** The migration catalog. The data comes from /api/migrations/catalog, which checks migrations:read itself. */
export default async function CatalogPage() {
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "migrations:read")) {
    return <ErrorState title="Not available" message="Seeing the migration catalog needs the migrations:read permission." />;
  }
  return (
    <Suspense fallback={<LoadingState label="Loading the catalog…" />}>
      <CatalogView />
    </Suspense>
  );
}
