import type { ComponentProps } from "react";
import { cn } from "./cn";

export const inputClassName = cn(
  "flex h-9 w-full min-w-0 rounded-md border border-input bg-card px-3 py-1 text-sm text-foreground shadow-xs",
  "transition-colors outline-offset-0 placeholder:text-muted-foreground",
  "file:border-0 file:bg-transparent file:text-sm file:font-medium",
  "disabled:cursor-not-allowed disabled:opacity-50",
  "aria-invalid:border-destructive aria-invalid:focus-visible:outline-destructive",
);

export function Input({ className, type = "text", ...props }: ComponentProps<"input">) {
  return <input data-slot="input" type={type} className={cn(inputClassName, className)} {...props} />;
}
