"use client";

import { Database } from "lucide-react";
import Link from "next/link";
import type { Plan } from "@/components/api/get-plan";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { formatBytes, formatCount, formatLockTime, REVIEW_LEVEL_LABELS, SIZE_RULE_DESCRIPTIONS, type ReviewLevel } from "@/server/domain/review";

export type SizeFlag = Plan["review"]["size"]["flags"][number];

export const LEVEL_VARIANT: Record<ReviewLevel, BadgeVariant> = {
  warn: "warning",
  require_approval: "info",
  block: "destructive",
};

/** The review policy's level of a finding, as a badge. */
export function LevelBadge({ level }: { level: ReviewLevel }) {
  return (
    <Badge variant={LEVEL_VARIANT[level]} data-testid="review-level" title="The review policy's level for this rule">
      {REVIEW_LEVEL_LABELS[level]}
    </Badge>
  );
}

/**
 * One statement that would hold a blocking lock on a large table: the rule and its level, the
 * table and lock, then the biggest targets with their rows, size and estimated lock time.
 */
export function SizeFlagItem({ flag, showFile = true }: { flag: SizeFlag; showFile?: boolean }) {
  return (
    <div
      className="grid gap-1 rounded-md border border-warning-border bg-warning-soft px-3 py-2 text-sm text-warning-soft-foreground"
      data-testid="size-flag"
      data-rule={flag.rule}
    >
      <p className="flex flex-wrap items-center gap-2">
        <Database className="size-4 shrink-0" aria-hidden />
        <LevelBadge level={flag.level} />
        <span className="font-mono text-xs font-semibold">{flag.rule}</span>
        {showFile ? (
          <Link href={`/catalog?file=${encodeURIComponent(flag.migration_id)}`} className="font-mono text-xs hover:underline">
            {flag.file}:{flag.line}
          </Link>
        ) : (
          <span className="text-xs">line {flag.line}</span>
        )}
      </p>
      <p>
        <span className="font-mono text-xs">{flag.relation}</span>
        {flag.max_rows !== null ? <> holds {formatCount(flag.max_rows)} rows</> : null} ({formatBytes(flag.max_bytes)}) on the biggest target
        {flag.targets > 1 ? `, ${flag.targets} targets over the threshold` : ""}: the statement {SIZE_RULE_DESCRIPTIONS[flag.rule]} ({flag.lock}).
      </p>
      <ul className="grid gap-0.5 text-xs" aria-label={`Biggest targets for ${flag.relation}`}>
        {flag.biggest.map((b) => (
          <li key={`${b.database_id}/${b.schema_name}`} className="flex flex-wrap gap-x-2">
            <span className="font-mono">{b.target}</span>
            <span>{b.rows !== null ? `${formatCount(b.rows)} rows` : "rows unknown (never analyzed)"}</span>
            <span>{formatBytes(b.bytes)}</span>
            {b.estimated_lock_ms !== null ? <span>lock ≈ {formatLockTime(b.estimated_lock_ms)}</span> : null}
            <Link href={`/executions/${b.execution_id}`} className="underline">
              rehearsal
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Every size flag of a plan or a rehearsal, biggest table first. */
export function SizeFlagList({ flags, label }: { flags: readonly SizeFlag[]; label: string }) {
  if (flags.length === 0) return null;
  return (
    <section className="grid gap-2" aria-label={label}>
      <h3 className="text-sm font-medium">{label}</h3>
      {flags.map((f) => (
        <SizeFlagItem key={`${f.rule}-${f.migration_id}-${f.line}-${f.relation}`} flag={f} />
      ))}
    </section>
  );
}
