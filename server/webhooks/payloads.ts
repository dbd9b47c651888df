import type { WebhookEvent, WebhookEventType, WebhookFormat } from "../domain/webhooks";

/**
 * What a delivery's body says, in the two formats an endpoint can ask for. Pure: the caller gives
 * the facts, the event id and the time; the same facts always make the same bytes (the body is
 * rendered once, stored, and every attempt sends and signs exactly it).
 *
 * `standard` is the console's envelope:
 *   { id, type, created_at, source: { app, url }, data: { execution?, rollback?, schedule?, error?, … } }
 * `slack` is a Slack incoming-webhook message: `text` (also what notifications show) and `blocks`.
 */

/** The columns of an execution row a message needs (an ExecutionRow has them all). */
export interface ExecutionLike {
  id: string;
  kind: string;
  scope: string;
  status: string;
  dryRun: boolean;
  executedBy: string;
  approvedBy: string | null;
  totalTargets: number;
  completedTargets: number;
  failedTargets: number;
  skippedTargets: number;
  errorMessage: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

export interface ExecutionFacts {
  id: string;
  kind: string;
  scope: string;
  status: string;
  dry_run: boolean;
  executed_by: string;
  approved_by: string | null;
  targets: { total: number; completed: number; failed: number; skipped: number };
  error_message: string | null;
  rollback_of: string | null;
  schedule: { id: string; name: string } | null;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
  url: string | null;
}

export type WebhookFacts =
  | { type: Exclude<WebhookEvent, "schedule.fired" | "execution.rolled_back">; execution: ExecutionFacts }
  | { type: "execution.rolled_back"; execution: ExecutionFacts; rollback: ExecutionFacts }
  | {
      type: "schedule.fired";
      schedule: { id: string; name: string; scheduled_for: string; url: string | null };
      execution: { id: string; url: string | null } | null;
      error: string | null;
    }
  | { type: "webhook.test"; endpoint: { id: string; name: string }; requested_by: string };

export interface Envelope {
  id: string;
  type: WebhookEventType;
  created_at: string;
  source: { app: string; url: string | null };
  data: Record<string, unknown>;
}

/** The console's page for a path, when its public URL (AUTH_URL) is known. */
export function consoleLink(publicUrl: string | null | undefined, path: string): string | null {
  return publicUrl ? `${publicUrl.replace(/\/+$/, "")}${path}` : null;
}

export function executionFacts(row: ExecutionLike, publicUrl: string | null | undefined): ExecutionFacts {
  const scheduleId = row.metadata.schedule_id;
  const scheduleName = row.metadata.schedule_name;
  return {
    id: row.id,
    kind: row.kind,
    scope: row.scope,
    status: row.status,
    dry_run: row.dryRun,
    executed_by: row.executedBy,
    approved_by: row.approvedBy,
    targets: { total: row.totalTargets, completed: row.completedTargets, failed: row.failedTargets, skipped: row.skippedTargets },
    error_message: row.errorMessage,
    rollback_of: typeof row.metadata.rollback_of === "string" ? row.metadata.rollback_of : null,
    schedule: typeof scheduleId === "string" && typeof scheduleName === "string" ? { id: scheduleId, name: scheduleName } : null,
    created_at: row.createdAt.toISOString(),
    started_at: row.startedAt?.toISOString() ?? null,
    completed_at: row.completedAt?.toISOString() ?? null,
    url: consoleLink(publicUrl, `/executions/${row.id}`),
  };
}

export function envelopeOf(facts: WebhookFacts, meta: { id: string; createdAt: Date; app: string; publicUrl: string | null }): Envelope {
  const { type, ...data } = facts;
  return { id: meta.id, type, created_at: meta.createdAt.toISOString(), source: { app: meta.app, url: meta.publicUrl }, data };
}

export function renderBody(format: WebhookFormat, envelope: Envelope, facts: WebhookFacts): string {
  if (format === "standard") return JSON.stringify(envelope);
  const text = slackText(facts, envelope.source.app);
  return JSON.stringify({
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      { type: "context", elements: [{ type: "mrkdwn", text: `${slackEscape(envelope.source.app)} · \`${envelope.type}\` · event ${envelope.id}` }] },
    ],
  });
}

/** Slack's mrkdwn treats &, < and > as markup: everything the fleet or an operator wrote is escaped. */
export function slackEscape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

const KIND_WORD: Record<string, string> = { migrate: "Execution", rehearsal: "Rehearsal", rollback: "Rollback" };

function slackLink(url: string | null, label: string): string {
  return url ? `<${url}|${slackEscape(label)}>` : slackEscape(label);
}

function executionLabel(e: ExecutionFacts): string {
  return slackLink(e.url, `${KIND_WORD[e.kind] ?? "Execution"} ${e.id.slice(0, 8)}`);
}

function counts(e: ExecutionFacts): string {
  const t = e.targets;
  return `${t.completed} succeeded, ${t.failed} failed, ${t.skipped} skipped of ${t.total} targets`;
}

function slackText(facts: WebhookFacts, app: string): string {
  switch (facts.type) {
    case "webhook.test":
      return `:wave: Test delivery from ${slackEscape(app)} to *${slackEscape(facts.endpoint.name)}*, sent by ${slackEscape(facts.requested_by)}: this endpoint receives the console's events.`;
    case "schedule.fired": {
      const schedule = slackLink(facts.schedule.url, facts.schedule.name);
      if (facts.execution) return `:alarm_clock: Schedule *${schedule}* fired: ${slackLink(facts.execution.url, `execution ${facts.execution.id.slice(0, 8)}`)}.`;
      return `:warning: Schedule *${schedule}* fired but could not start an execution: ${slackEscape(facts.error ?? "unknown error")}`;
    }
    case "execution.rolled_back":
      return `:leftwards_arrow_with_hook: ${executionLabel(facts.execution)} was rolled back by ${executionLabel(facts.rollback)} (started by ${slackEscape(facts.rollback.executed_by)}).`;
    default: {
      const e = facts.execution;
      const who = slackEscape(e.executed_by);
      const scope = `scope ${slackEscape(e.scope)}, ${e.targets.total} target${e.targets.total === 1 ? "" : "s"}`;
      switch (facts.type) {
        case "execution.approval_needed":
          return `:hourglass_flowing_sand: ${executionLabel(e)} by ${who} needs approval (${scope}): a second person with migrations:manage must approve it.`;
        case "execution.started":
          return `:rocket: ${executionLabel(e)} by ${who} started (${scope}).`;
        case "execution.completed":
          return `:white_check_mark: ${executionLabel(e)} by ${who} completed: ${counts(e)}.`;
        case "execution.failed":
          return `:x: ${executionLabel(e)} by ${who} failed: ${slackEscape(e.error_message ?? counts(e))}`;
        case "execution.cancelled":
          return `:no_entry_sign: ${executionLabel(e)} by ${who} was cancelled: ${slackEscape(e.error_message ?? counts(e))}`;
        case "execution.halted":
          return `:octagonal_sign: ${executionLabel(e)} by ${who} halted its rollout: ${slackEscape(e.error_message ?? counts(e))}. An operator resumes it or rolls it back.`;
      }
    }
  }
}
