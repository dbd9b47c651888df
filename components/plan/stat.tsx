import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";

/** A labelled number for summaries: the label is the term, the number its value. */
export function Stat({
  label,
  value,
  hint,
  tone = "default",
  className,
}: {
  label: ReactNode;
  value: ReactNode;
  hint?: ReactNode;
  tone?: "default" | "success" | "warning" | "destructive" | "info" | "muted";
  className?: string;
}) {
  return (
    <div className={cn("grid content-start gap-0.5 rounded-md border bg-card px-3 py-2.5", className)}>
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd
        className={cn(
          "text-xl font-semibold tabular-nums",
          tone === "success" && "text-success-soft-foreground",
          tone === "warning" && "text-warning-soft-foreground",
          tone === "destructive" && "text-destructive-soft-foreground",
          tone === "info" && "text-info-soft-foreground",
          tone === "muted" && "text-muted-foreground",
        )}
      >
        {value}
      </dd>
      {hint ? <dd className="text-xs text-muted-foreground">{hint}</dd> : null}
    </div>
  );
}
