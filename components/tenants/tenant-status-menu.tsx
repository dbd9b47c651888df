"use client";

import { useState } from "react";
import { toast } from "sonner";
import { useUpdateTenant } from "@/components/api/update-tenant";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { TenantStatus } from "@/server/domain/fleet";
import type { Tenant } from "@/server/tenants/schemas";

const NEXT: Record<TenantStatus, Array<{ to: TenantStatus; label: string; explain: string }>> = {
  active: [
    { to: "suspended", label: "Suspend", explain: "Suspended tenants are left out of plans until they are active again." },
    { to: "archived", label: "Archive", explain: "Archived tenants are left out of plans; their schema stays on the database." },
  ],
  suspended: [
    { to: "active", label: "Activate", explain: "The tenant is part of plans again and gets pending migrations." },
    { to: "archived", label: "Archive", explain: "Archived tenants are left out of plans; their schema stays on the database." },
  ],
  archived: [{ to: "active", label: "Activate", explain: "The tenant is part of plans again and gets pending migrations." }],
};

/** Status changes for one tenant (databases:manage only), each confirmed first. */
export function TenantStatusActions({ tenant }: { tenant: Tenant }) {
  const updateTenant = useUpdateTenant();
  const [open, setOpen] = useState<TenantStatus | null>(null);

  async function change(to: TenantStatus) {
    try {
      await updateTenant.mutateAsync({ id: tenant.id, changes: { status: to } });
      toast.success(`${tenant.name} is now ${to}`);
    } catch (error) {
      toast.error(error instanceof Error ? error.message : "The status could not be changed");
      throw error;
    }
  }

  return (
    <div className="inline-flex gap-1">
      {NEXT[tenant.status].map((n) => (
        <ConfirmDialog
          key={n.to}
          open={open === n.to}
          onOpenChange={(o) => setOpen(o ? n.to : null)}
          trigger={
            <Button variant="ghost" size="sm" aria-label={`${n.label} ${tenant.name}`}>
              {n.label}
            </Button>
          }
          title={`${n.label} ${tenant.name}?`}
          description={n.explain}
          confirmLabel={n.label}
          destructive={n.to === "archived"}
          onConfirm={() => change(n.to)}
        />
      ))}
    </div>
  );
}
