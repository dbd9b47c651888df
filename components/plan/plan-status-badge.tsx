import { CircleAlert, CircleCheck, CircleDashed, Clock, Unplug, type LucideIcon } from "lucide-react";
import type { PlanTargetStatus } from "@/components/api/get-plan";
import { Badge, type BadgeVariant } from "@/components/ui/badge";

export const PLAN_STATUS_APPEARANCE: Record<PlanTargetStatus, { label: string; variant: BadgeVariant; icon: LucideIcon }> = {
  up_to_date: { label: "Up to date", variant: "success", icon: CircleCheck },
  pending: { label: "Pending", variant: "info", icon: Clock },
  blocked: { label: "Blocked", variant: "warning", icon: CircleAlert },
  unreachable: { label: "Unreachable", variant: "destructive", icon: Unplug },
};

/** A plan target's status in words, icon and colour. */
export function PlanStatusBadge({ status, label }: { status: PlanTargetStatus; label?: string }) {
  const a = PLAN_STATUS_APPEARANCE[status] ?? { label: status, variant: "outline" as const, icon: CircleDashed };
  const Icon = a.icon;
  return (
    <Badge variant={a.variant} data-status={status}>
      <Icon aria-hidden />
      {label ?? a.label}
    </Badge>
  );
}
