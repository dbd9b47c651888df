import { LoaderCircleIcon } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A decorative spinning icon; the surrounding text (or LoadingState) says what is loading. */
export function Spinner({ className, ...props }: ComponentProps<"svg">) {
  return (
    <LoaderCircleIcon
      data-slot="spinner"
      aria-hidden
      className={cn("size-4 shrink-0 animate-spin text-muted-foreground", className)}
      {...props}
    />
  );
}

/**
 * A polite live region for a section that is still loading. Screen readers announce the label once;
 * prefer a Skeleton shaped like the content when the layout is known.
 */
export function LoadingState({
  label = "Loading…",
  className,
  ...props
}: ComponentProps<"div"> & { label?: string }) {
  return (
    <div
      role="status"
      aria-live="polite"
      data-slot="loading-state"
      className={cn("flex items-center justify-center gap-2 py-10 text-sm text-muted-foreground", className)}
      {...props}
    >
      <Spinner />
      <span>{label}</span>
    </div>
  );
}
