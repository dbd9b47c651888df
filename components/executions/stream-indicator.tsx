import type { StreamState } from "@/components/api/use-execution-events";
import { cn } from "@/components/ui/cn";

const TEXT: Record<StreamState, string> = {
  idle: "Not live",
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  ended: "Final",
  failed: "Live updates unavailable",
};

/** Whether the page is following the execution live; announced politely when it changes. */
export function StreamIndicator({ state }: { state: StreamState }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted-foreground" role="status" aria-live="polite" data-stream={state}>
      <span
        aria-hidden
        className={cn(
          "size-2 rounded-full",
          state === "live" && "bg-success motion-safe:animate-pulse",
          (state === "connecting" || state === "reconnecting") && "bg-warning",
          state === "failed" && "bg-destructive",
          (state === "ended" || state === "idle") && "bg-muted-foreground/50",
        )}
      />
      {TEXT[state]}
    </span>
  );
}
