import type { ExecutionTarget, TargetError } from "@/components/api/execution-types";
import { StatusBadge } from "@/components/ui/status-badge";
import { CodeBlock } from "@/components/ui/code-block";
import { formatDuration, formatTime } from "./format";

/** A target's drill-down: each migration's outcome and timing, and the PostgreSQL error in full. */
export function TargetMigrations({ target: t }: { target: ExecutionTarget }) {
  return (
    <div className="grid gap-3 rounded-md border bg-muted/40 p-3 text-sm">
      <dl className="flex flex-wrap gap-x-6 gap-y-1 text-xs text-muted-foreground">
        <div>
          <dt className="inline">Started </dt>
          <dd className="inline text-foreground">{formatTime(t.started_at)}</dd>
        </div>
        <div>
          <dt className="inline">Finished </dt>
          <dd className="inline text-foreground">{formatTime(t.completed_at)}</dd>
        </div>
        <div>
          <dt className="inline">Attempts </dt>
          <dd className="inline text-foreground">{t.attempts}</dd>
        </div>
        {t.next_attempt_at ? (
          <div>
            <dt className="inline">Next attempt </dt>
            <dd className="inline text-foreground">{formatTime(t.next_attempt_at)}</dd>
          </div>
        ) : null}
        {t.depends_on.length ? (
          <div>
            <dt className="inline">Waits for </dt>
            <dd className="inline text-foreground">{t.depends_on.length} other target(s) of this execution</dd>
          </div>
        ) : null}
      </dl>
      {t.migrations.length ? (
        <ol className="grid gap-1.5" aria-label="Migrations">
          {t.migrations.map((m) => (
            <li key={m.id} className="grid gap-1.5">
              <div className="flex flex-wrap items-center gap-2">
                <StatusBadge kind="migration" status={m.status} />
                <span className="font-mono text-[13px]">{m.id}</span>
                <span className="text-xs text-muted-foreground tabular-nums">{formatDuration(m.duration_ms)}</span>
                {m.locks?.length ? <span className="text-xs text-muted-foreground">locks: {m.locks.join(", ")}</span> : null}
              </div>
              {m.error ? <ErrorDetails error={m.error} label={m.id} /> : null}
            </li>
          ))}
        </ol>
      ) : (
        <p className="text-muted-foreground">No migration ran on this target.</p>
      )}
      {t.error && !t.migrations.some((m) => m.error) ? <ErrorDetails error={t.error} label={`${t.connection_name}/${t.schema_name}`} /> : null}
    </div>
  );
}

/** The error as PostgreSQL reported it: code, message, where, detail, hint and the statement. */
export function ErrorDetails({ error: e, label }: { error: TargetError; label: string }) {
  return (
    <div className="grid gap-2 rounded-md border border-destructive-border bg-destructive-soft p-3" role="group" aria-label={`Error of ${label}`}>
      <p className="text-destructive-soft-foreground">
        {e.code ? <span className="mr-1.5 rounded bg-background/60 px-1 font-mono text-xs">{e.code}</span> : null}
        <span className="font-medium" data-testid="target-error-message">
          {e.message}
        </span>
        {e.transient ? <span className="ml-1.5 text-xs">(transient: retried)</span> : null}
      </p>
      {e.file || e.line || e.position ? (
        <p className="text-xs text-muted-foreground">
          {e.file ? <span className="font-mono">{e.file}</span> : null}
          {e.line ? ` line ${e.line}` : ""}
          {e.position ? `, character ${e.position}` : ""}
        </p>
      ) : null}
      {e.detail ? <p className="text-xs">Detail: {e.detail}</p> : null}
      {e.hint ? <p className="text-xs">Hint: {e.hint}</p> : null}
      {e.statement ? <CodeBlock code={e.statement} label={`Failing statement of ${label}`} className="max-h-48 bg-card" /> : null}
    </div>
  );
}
