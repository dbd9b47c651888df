import { AuditView } from "@/components/audit/audit-view";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { can } from "@/server/domain/permissions";

export const metadata = { title: "Audit log" };

/** The audit log. The data comes from /api/audit, which checks infrastructure:admin itself. */
export default async function AuditPage() {
  const principal = await currentPrincipal();
  if (!principal || !can(principal.permissions, "audit.read")) {
    return <ErrorState title="Not available" message="The audit log needs the infrastructure:admin permission." />;
  }
  return <AuditView />;
}
