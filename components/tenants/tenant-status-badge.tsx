import { Archive, CirclePause, CirclePlay } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import type { TenantStatus } from "@/server/domain/fleet";

const APPEARANCE = {
  active: { variant: "success", icon: CirclePlay, label: "Active" },
  suspended: { variant: "warning", icon: CirclePause, label: "Suspended" },
  archived: { variant: "secondary", icon: Archive, label: "Archived" },
} as const;

export const TENANT_STATUS_LABELS: Record<TenantStatus, string> = {
  active: "Active",
  suspended: "Suspended",
  archived: "Archived",
};

/** A tenant's status in words, icon and colour. Only active tenants are migrated. */
export function TenantStatusBadge({ status }: { status: TenantStatus }) {
  const { variant, icon: Icon, label } = APPEARANCE[status];
  return (
    <Badge variant={variant} data-status={status}>
      <Icon aria-hidden />
      {label}
    </Badge>
  );
}
