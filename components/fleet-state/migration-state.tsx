import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { MigrationState, MigrationStateFilter } from "@/server/contracts/migration-state";
import { formatRelative } from "@/components/executions/format";
import { useNow } from "@/components/executions/use-now";

/** Words for the state filters, shared by the Tenants page and the Overview's links. */
export const MIGRATION_STATE_LABELS: Record<MigrationStateFilter, string> = {
  at_head: "At head",
  behind: "Behind",
  failed: "Failed last run",
  blocked: "Blocked",
  unknown: "Not read yet",
};

/** A target's version: the highest applied, or a dash when none (or never read). */
export function VersionCell({ state }: { state: MigrationState | null }) {
  if (!state || state.applied === null) return <span className="text-muted-foreground">—</span>;
  return state.version ? <span className="font-mono text-xs">{state.version}</span> : <span className="text-muted-foreground">none</span>;
}

/**
 * What is pending on a target, in words first: blocked (and why), at head, n behind, or not read
 * yet. Colour only reinforces the words.
 */
export function PendingCell({ state }: { state: MigrationState | null }) {
  if (!state || state.pending === null) {
    return (
      <span className="text-xs text-muted-foreground" title="The console has not read this schema's history yet: preview a plan that covers it">
        Not read yet
      </span>
    );
  }
  if (state.blocked) {
    return (
      <Badge variant="warning" title={state.blocked.message}>
        Blocked · {state.blocked.code.replaceAll("_", " ")}
      </Badge>
    );
  }
  if (state.pending === 0) return <Badge variant="success">At head</Badge>;
  return (
    <Badge variant="info" title={state.head ? `head is ${state.head}` : undefined}>
      {state.pending} behind
    </Badge>
  );
}

/** How the last execution ended on the target, linking to it; a failure names its error. */
export function LastRunCell({ state }: { state: MigrationState | null }) {
  const now = useNow(false);
  const run = state?.last_run;
  if (!run) return <span className="text-muted-foreground">—</span>;
  const failed = run.status === "failed";
  return (
    <div className="grid gap-0.5">
      <Link href={`/executions/${run.execution_id}`} className="inline-flex items-center gap-1.5 text-xs hover:underline">
        <Badge variant={failed ? "destructive" : "secondary"}>{failed ? "Failed" : run.kind === "rollback" ? "Rolled back" : "Succeeded"}</Badge>
        <span className="text-muted-foreground">{formatRelative(run.at, now)}</span>
      </Link>
      {failed && run.error ? (
        <span className="max-w-64 truncate text-xs text-destructive-soft-foreground" title={run.error.message}>
          {run.error.code ? `${run.error.code}: ` : ""}
          {run.error.message}
        </span>
      ) : null}
    </div>
  );
}
