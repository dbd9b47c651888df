import { DatabaseDetail } from "@/components/databases/database-detail";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Database" };

/** One registered database with its health history. */
export default async function DatabasePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "databases:read")) {
    return <ErrorState title="Not available" message="Seeing registered databases needs the databases:read permission." />;
  }
  return <DatabaseDetail id={id} />;
}
