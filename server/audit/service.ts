import "server-only";
import { getDb } from "../db/client";
import { getLogger } from "../logging/logger";
import type { Principal } from "../auth/principal";
import { insertAudit, listAudit } from "./repository";
import type { AuditEntry, AuditQuery } from "./schemas";

export interface AuditEvent {
  principal: Principal;
  action: string;
  resourceType?: string;
  resourceId?: string;
  outcome: "success" | "error";
  errorCode?: string;
  requestId?: string;
  ip?: string;
  details?: Record<string, unknown>;
}

/**
 * Records one mutating call. An audit write that fails is logged loudly but does not turn a
 * completed change into an error for the caller (the change already happened).
 */
export async function recordAudit(event: AuditEvent): Promise<void> {
  try {
    await insertAudit(getDb(), {
      actorId: event.principal.id,
      actorName: event.principal.username,
      actorType: event.principal.type,
      action: event.action,
      resourceType: event.resourceType ?? null,
      resourceId: event.resourceId ?? null,
      outcome: event.outcome,
      errorCode: event.errorCode ?? null,
      requestId: event.requestId ?? null,
      ip: event.ip ?? null,
      details: event.details ?? {},
    });
  } catch (error) {
    getLogger().error({ err: error, action: event.action, requestId: event.requestId }, "audit write failed");
  }
}

export async function searchAudit(query: AuditQuery): Promise<{ entries: AuditEntry[]; next_before_id: number | null }> {
  const rows = await listAudit(getDb(), query);
  const entries = rows.map((r) => ({
    id: r.id,
    at: r.at.toISOString(),
    actor_id: r.actorId,
    actor_name: r.actorName,
    actor_type: r.actorType,
    action: r.action,
    resource_type: r.resourceType,
    resource_id: r.resourceId,
    outcome: r.outcome as "success" | "error",
    error_code: r.errorCode,
    request_id: r.requestId,
    ip: r.ip,
    details: r.details,
  }));
  const last = entries.at(-1);
  return { entries, next_before_id: entries.length === query.limit && last ? last.id : null };
}
