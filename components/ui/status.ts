import type { ExecutionStatus, TargetMigrationResult, TargetStatus } from "@/server/domain/executions";
import type { BadgeVariant } from "./badge";

export type MigrationStepStatus = TargetMigrationResult["status"];

/** How a status looks: words always, colour and icon only as reinforcement. */
export interface StatusAppearance {
  label: string;
  variant: BadgeVariant;
  icon: "pending" | "running" | "success" | "failed" | "undone" | "cancelled" | "skipped" | "warning" | "unknown";
}

// Records keyed by the status unions: adding a status to the schema fails the type check here until
// it has an appearance.
export const EXECUTION_STATUS_APPEARANCE: Record<ExecutionStatus, StatusAppearance> = {
  pending: { label: "Pending", variant: "secondary", icon: "pending" },
  in_progress: { label: "In progress", variant: "info", icon: "running" },
  completed: { label: "Completed", variant: "success", icon: "success" },
  failed: { label: "Failed", variant: "destructive", icon: "failed" },
  rolled_back: { label: "Rolled back", variant: "warning", icon: "undone" },
  cancelled: { label: "Cancelled", variant: "outline", icon: "cancelled" },
  halted: { label: "Halted", variant: "warning", icon: "warning" },
};

export const TARGET_STATUS_APPEARANCE: Record<TargetStatus, StatusAppearance> = {
  pending: { label: "Pending", variant: "secondary", icon: "pending" },
  running: { label: "Running", variant: "info", icon: "running" },
  succeeded: { label: "Succeeded", variant: "success", icon: "success" },
  failed: { label: "Failed", variant: "destructive", icon: "failed" },
  skipped: { label: "Skipped", variant: "outline", icon: "skipped" },
};

/** One migration inside a target, including rehearsal outcomes. */
export const MIGRATION_STEP_STATUS_APPEARANCE: Record<MigrationStepStatus, StatusAppearance> = {
  pending: { label: "Pending", variant: "secondary", icon: "pending" },
  applied: { label: "Applied", variant: "success", icon: "success" },
  failed: { label: "Failed", variant: "destructive", icon: "failed" },
  skipped: { label: "Skipped", variant: "outline", icon: "skipped" },
  would_apply: { label: "Would apply", variant: "success", icon: "success" },
  would_revert: { label: "Would roll back", variant: "success", icon: "success" },
  would_fail: { label: "Would fail", variant: "destructive", icon: "failed" },
  not_rehearsable: { label: "Not rehearsable", variant: "warning", icon: "warning" },
  rolled_back: { label: "Rolled back", variant: "warning", icon: "undone" },
};

export const STATUS_APPEARANCE = {
  execution: EXECUTION_STATUS_APPEARANCE,
  target: TARGET_STATUS_APPEARANCE,
  migration: MIGRATION_STEP_STATUS_APPEARANCE,
} as const;

export type StatusKind = keyof typeof STATUS_APPEARANCE;

/**
 * The appearance of a status of the given kind. A value the console does not know yet (a newer
 * server, say) still shows its own words in a neutral badge instead of breaking the page.
 */
export function statusAppearance(kind: StatusKind, status: string): StatusAppearance {
  const table: Record<string, StatusAppearance> = STATUS_APPEARANCE[kind];
  return (
    (Object.hasOwn(table, status) ? table[status] : undefined) ?? {
      label: humanize(status),
      variant: "outline",
      icon: "unknown",
    }
  );
}

function humanize(value: string): string {
  const words = value.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "Unknown";
}
