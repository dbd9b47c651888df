import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { ErrorState } from "@/components/ui/error-state";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/domain/permissions";

export const metadata = { title: "Webhooks" };

/** Outbound webhooks. The data comes from /api/webhooks, which checks infrastructure:admin itself. */
export default async function WebhooksPage() {
  const principal = await currentPrincipal();
  if (!principal || !hasPermission(principal.permissions, "infrastructure:admin")) {
    return <ErrorState title="Not available" message="Managing outbound webhooks needs the infrastructure:admin permission." />;
  }
  return <WebhooksView />;
}
