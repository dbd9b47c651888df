"use client";

import * as ProgressPrimitive from "@radix-ui/react-progress";
import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "./cn";

const toneClassName = {
  default: "bg-primary",
  success: "bg-success",
  warning: "bg-warning",
  destructive: "bg-destructive",
  info: "bg-info",
} as const;

export type ProgressTone = keyof typeof toneClassName;

export interface ProgressProps extends Omit<ComponentProps<typeof ProgressPrimitive.Root>, "value" | "max"> {
  /** Done so far; `null` when the total is not known yet (an animated, indeterminate bar). */
  value: number | null;
  max?: number;
  /** Visible name of the bar ("Targets migrated"); also its accessible name. */
  label: ReactNode;
  /**
   * Visible and spoken value ("42 of 120 targets"). Defaults to a rounded percentage; pass your own
   * when counts say more than a percentage.
   */
  valueLabel?: string;
  /** Hide the label row visually; it still names the bar for assistive technology. */
  hideLabel?: boolean;
  tone?: ProgressTone;
}

export function Progress({
  value,
  max = 100,
  label,
  valueLabel,
  hideLabel = false,
  tone = "default",
  className,
  ...props
}: ProgressProps) {
  const labelId = useId();
  const clamped = value === null ? null : Math.min(Math.max(value, 0), max);
  const percent = clamped === null || max <= 0 ? null : (clamped / max) * 100;
  const text = valueLabel ?? (percent === null ? "In progress" : `${Math.round(percent)}%`);

  return (
    <div data-slot="progress" className={cn("grid gap-1.5", className)}>
      <div className={cn("flex items-baseline justify-between gap-4 text-sm", hideLabel && "sr-only")}>
        <span id={labelId} className="font-medium">
          {label}
        </span>
        <span className="text-muted-foreground tabular-nums" aria-hidden>
          {text}
        </span>
      </div>
      <ProgressPrimitive.Root
        aria-labelledby={labelId}
        value={clamped}
        max={max}
        getValueLabel={() => text}
        className="relative h-2 w-full overflow-hidden rounded-full bg-muted"
        {...props}
      >
        <ProgressPrimitive.Indicator
          data-slot="progress-indicator"
          className={cn(
            "h-full rounded-full transition-[width] duration-500 ease-out",
            toneClassName[tone],
            percent === null && "w-2/5 animate-progress-indeterminate",
          )}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </ProgressPrimitive.Root>
    </div>
  );
}
