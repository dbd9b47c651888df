import type { ComponentProps } from "react";
import { cn } from "./cn";
import { inputClassName } from "./input";

export function Textarea({ className, ...props }: ComponentProps<"textarea">) {
  return (
    <textarea
      data-slot="textarea"
      className={cn(inputClassName, "min-h-20 resize-y py-2 leading-relaxed", className)}
      {...props}
    />
  );
}
