import { Search } from "lucide-react";
import type { ComponentProps } from "react";
import { cn } from "./cn";
import { Input } from "./input";

/** A text input with a magnifier inside, for searching a list. Name it with `aria-label`. */
export function SearchInput({ className, ...props }: ComponentProps<"input">) {
  return (
    <div className="relative">
      <Search className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-muted-foreground" aria-hidden />
      <Input className={cn("pl-8", className)} {...props} />
    </div>
  );
}
