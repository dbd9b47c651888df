import { z } from "zod";

export const ZAuditQuery = z
  .object({
    actor: z.string().trim().min(1).max(200).optional().describe("actor id or username"),
    action: z.string().trim().min(1).max(200).optional(),
    resource_type: z.string().trim().min(1).max(100).optional(),
    resource_id: z.string().trim().min(1).max(200).optional(),
    outcome: z.enum(["success", "error"]).optional(),
    since: z.iso.datetime({ offset: true }).optional(),
    until: z.iso.datetime({ offset: true }).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    before_id: z.coerce.number().int().positive().optional().describe("page: entries older than this id"),
  })
  .strict();
export type AuditQuery = z.infer<typeof ZAuditQuery>;

export const ZAuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor_id: z.string(),
  actor_name: z.string().nullable(),
  actor_type: z.string(),
  action: z.string(),
  resource_type: z.string().nullable(),
  resource_id: z.string().nullable(),
  outcome: z.enum(["success", "error"]),
  error_code: z.string().nullable(),
  request_id: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditList = z.object({
  entries: z.array(ZAuditEntry),
  next_before_id: z.number().int().nullable(),
});
