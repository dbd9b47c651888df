import { CircleCheck, CircleDashed, CircleX } from "lucide-react";
import { Badge } from "@/components/ui/badge";

export type HealthStatus = "healthy" | "unhealthy" | "unknown";

export function healthStatusOf(isHealthy: boolean | null): HealthStatus {
  return isHealthy === null ? "unknown" : isHealthy ? "healthy" : "unhealthy";
}

const APPEARANCE = {
  healthy: { variant: "success", icon: CircleCheck, label: "Healthy" },
  unhealthy: { variant: "destructive", icon: CircleX, label: "Unhealthy" },
  unknown: { variant: "secondary", icon: CircleDashed, label: "Not checked" },
} as const;

/** Health in words, icon and colour; `detail` (latency, error) goes into the title. */
export function HealthBadge({ status, detail }: { status: HealthStatus; detail?: string | null }) {
  const { variant, icon: Icon, label } = APPEARANCE[status];
  return (
    <Badge variant={variant} title={detail ?? undefined} data-health={status}>
      <Icon aria-hidden />
      {label}
    </Badge>
  );
}
