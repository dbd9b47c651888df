import { cn } from "./cn";

// Shared by dialog and alert-dialog so both modal kinds dim the page and enter the same way.
export const overlayClassName = cn(
  "fixed inset-0 z-50 bg-slate-950/50 backdrop-blur-[1px]",
  "data-[state=open]:animate-fade-in data-[state=closed]:animate-fade-out",
);

export const modalContentClassName = cn(
  "fixed top-1/2 left-1/2 z-50 grid max-h-[calc(100dvh-2rem)] w-[calc(100%-2rem)] max-w-lg -translate-x-1/2",
  "-translate-y-1/2 gap-4 overflow-y-auto rounded-lg border bg-popover p-6 text-popover-foreground shadow-lg",
  "data-[state=open]:animate-pop-in data-[state=closed]:animate-pop-out",
);

/** Menus and selects: a floating surface that appears next to its trigger. */
export const floatingContentClassName = cn(
  "z-50 rounded-md border bg-popover text-popover-foreground shadow-md",
  "data-[state=open]:animate-pop-in data-[state=closed]:animate-pop-out",
);
