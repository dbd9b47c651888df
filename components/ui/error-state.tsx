import { RotateCw, TriangleAlert } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { Button } from "./button";
import { cn } from "./cn";

export interface ErrorStateProps extends Omit<ComponentProps<"div">, "title"> {
  title?: ReactNode;
  /** What went wrong, in the API's words (its `message`), never a stack trace. */
  message?: ReactNode;
  /** Shows a retry button; pass the query's `refetch` or an error boundary's `reset`. */
  onRetry?: () => void;
  retryLabel?: string;
  /** True while the retry runs: the button shows it and ignores further clicks. */
  retrying?: boolean;
}

/**
 * A failed load, announced to screen readers (role="alert"). Usable from client components and
 * error boundaries; a server component can render it without `onRetry`.
 */
export function ErrorState({
  title = "Something went wrong",
  message,
  onRetry,
  retryLabel = "Try again",
  retrying = false,
  className,
  ...props
}: ErrorStateProps) {
  return (
    <div
      role="alert"
      data-slot="error-state"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border border-destructive-border",
        "bg-destructive-soft/60 px-6 py-10 text-center",
        className,
      )}
      {...props}
    >
      <div className="flex size-10 items-center justify-center rounded-full bg-destructive-soft text-destructive-soft-foreground">
        <TriangleAlert className="size-5" aria-hidden />
      </div>
      <div className="grid max-w-lg gap-1">
        <p className="text-sm font-semibold">{title}</p>
        {message ? <p className="text-sm break-words text-muted-foreground">{message}</p> : null}
      </div>
      {onRetry ? (
        <Button variant="outline" size="sm" onClick={onRetry} disabled={retrying} className="mt-1">
          <RotateCw className={cn(retrying && "animate-spin")} aria-hidden />
          {retryLabel}
        </Button>
      ) : null}
    </div>
  );
}
