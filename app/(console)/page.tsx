import { DatabaseIcon, UsersIcon } from "lucide-react";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { currentPrincipal } from "@/server/auth/current-principal";
import { hasPermission } from "@/server/auth/permissions";
import { listConnections } from "@/server/databases/service";
import { listTenants } from "@/server/tenants/service";

export const dynamic = "force-dynamic";

/** Overview: the fleet at a glance. */
export default async function OverviewPage() {
  const principal = await currentPrincipal();
  const permissions = principal?.permissions ?? [];
  const connections = hasPermission(permissions, "databases:read")
    ? await listConnections({ limit: 200, offset: 0 })
    : null;
  const tenants = hasPermission(permissions, "migrations:read") ? await listTenants({ limit: 1, offset: 0 }) : null;

  const byTier = new Map<string, number>();
  for (const c of connections?.items ?? []) byTier.set(c.connection_type, (byTier.get(c.connection_type) ?? 0) + 1);

  return (
    <>
      <PageHeader title="Overview" description="The fleet at a glance: databases by tier and region, tenants and recent work." />
      <div className="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <DatabaseIcon className="size-4" aria-hidden /> Databases
            </CardDescription>
            <CardTitle className="text-3xl">{connections ? connections.total : "—"}</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">
            {connections
              ? [...byTier].map(([tier, n]) => `${n} ${tier}`).join(" · ") || "none registered"
              : "needs databases:read"}
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardDescription className="flex items-center gap-2">
              <UsersIcon className="size-4" aria-hidden /> Tenants
            </CardDescription>
            <CardTitle className="text-3xl">{tenants ? tenants.total : "—"}</CardTitle>
          </CardHeader>
          <CardContent className="text-sm text-muted-foreground">{tenants ? "registered tenant schemas" : "needs migrations:read"}</CardContent>
        </Card>
      </div>
    </>
  );
}
