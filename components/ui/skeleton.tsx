import type { ComponentProps } from "react";
import { cn } from "./cn";

/** A placeholder block; hidden from assistive technology, which hears the LoadingState instead. */
export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden
      className={cn("animate-pulse rounded-md bg-muted motion-reduce:animate-none", className)}
      {...props}
    />
  );
}
