import { CircleCheck, CircleDashed, CircleX, TriangleAlert, type LucideIcon } from "lucide-react";
import { Badge, type BadgeVariant } from "@/components/ui/badge";

type Status = "healthy" | "degraded" | "unhealthy" | "unknown";

const APPEARANCE: Record<Status, { label: string; variant: BadgeVariant; icon: LucideIcon }> = {
  healthy: { label: "Healthy", variant: "success", icon: CircleCheck },
  degraded: { label: "Degraded", variant: "warning", icon: TriangleAlert },
  unhealthy: { label: "Unhealthy", variant: "destructive", icon: CircleX },
  unknown: { label: "Unknown", variant: "outline", icon: CircleDashed },
};

/** A service's or the console's health in words, icon and colour. */
export function ServiceStatusBadge({ status }: { status: string }) {
  const a = APPEARANCE[status as Status] ?? APPEARANCE.unknown;
  const Icon = a.icon;
  return (
    <Badge variant={a.variant} data-status={status}>
      <Icon aria-hidden />
      {a.label}
    </Badge>
  );
}
