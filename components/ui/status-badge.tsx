import {
  Ban,
  CircleAlert,
  CircleCheck,
  CircleDashed,
  CircleSlash,
  CircleX,
  Clock,
  LoaderCircle,
  Undo2,
  type LucideIcon,
} from "lucide-react";
import type { ExecutionStatus, TargetStatus } from "@/server/domain/executions";
import { Badge } from "./badge";
import { cn } from "./cn";
import { statusAppearance, type MigrationStepStatus, type StatusAppearance } from "./status";

const ICONS: Record<StatusAppearance["icon"], LucideIcon> = {
  pending: Clock,
  running: LoaderCircle,
  success: CircleCheck,
  failed: CircleX,
  undone: Undo2,
  cancelled: Ban,
  skipped: CircleSlash,
  warning: CircleAlert,
  unknown: CircleDashed,
};

type StatusBadgeProps = (
  | { kind: "execution"; status: ExecutionStatus }
  | { kind: "target"; status: TargetStatus }
  | { kind: "migration"; status: MigrationStepStatus }
) & {
  /** Replace the words, e.g. "Would apply" for a succeeded rehearsal target. */
  label?: string;
  className?: string;
};

/**
 * An execution, target or migration status as a badge with words, an icon and a colour, so it reads
 * the same to someone who cannot tell the colours apart. A running status spins its icon (still when
 * the operator prefers reduced motion).
 */
export function StatusBadge({ kind, status, label, className }: StatusBadgeProps) {
  const appearance = statusAppearance(kind, status);
  const Icon = ICONS[appearance.icon];
  return (
    <Badge
      variant={appearance.variant}
      data-status={status}
      className={cn("gap-1.5", className)}
    >
      <Icon aria-hidden className={cn(appearance.icon === "running" && "animate-spin motion-reduce:animate-none")} />
      {label ?? appearance.label}
    </Badge>
  );
}
