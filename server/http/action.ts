import "server-only";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { currentPrincipal } from "../auth/current-principal";
import { hasPermission, type Permission } from "../domain/permissions";
import type { Principal } from "../auth/principal";
import { recordAudit } from "../audit/service";
import { getLogger } from "../logging/logger";
import { AppError, type ErrorBody } from "../errors/app-error";
import { toErrorResponse } from "./route";

export type ActionResult<T> = { ok: true; data: T } | { ok: false; error: ErrorBody; status: number };

export interface ActionOptions<S extends z.ZodType> {
  /** Audit action name, e.g. `databases.create`. */
  name: string;
  permission: Permission;
  input: S;
  resourceType?: string;
}

/**
 * The server-action twin of `route()`: the Auth.js session, the permission check on the server,
 * the same zod schema as the REST route, the audit log, and errors returned as data (a thrown error
 * would reach the browser as an opaque failure). Every server action goes through here.
 */
export function action<S extends z.ZodType, R>(
  options: ActionOptions<S>,
  handler: (ctx: { input: z.output<S>; principal: Principal; requestId: string; audit: { resourceId?: string; details?: Record<string, unknown> } }) => Promise<R>,
) {
  return async (raw: z.input<S>): Promise<ActionResult<R>> => {
    const requestId = randomUUID();
    const log = getLogger().child({ requestId, action: options.name });
    const audit: { resourceId?: string; details?: Record<string, unknown> } = {};
    let principal: Principal | null = null;
    try {
      principal = await currentPrincipal();
      if (!principal) throw new AppError("unauthorized", "authentication required");
      if (!hasPermission(principal.permissions, options.permission)) {
        throw new AppError("forbidden", `missing permission: ${options.permission}`, { required_permission: options.permission });
      }
      const parsed = options.input.safeParse(raw);
      if (!parsed.success) {
        const fields = parsed.error.issues.map((i) => ({ field: i.path.join(".") || "input", message: i.message, code: i.code }));
        throw new AppError("validation_error", `invalid input: ${fields.map((f) => `${f.field}: ${f.message}`).join("; ")}`, { fields });
      }
      const data = await handler({ input: parsed.data, principal, requestId, audit });
      await recordAudit({ principal, action: options.name, resourceType: options.resourceType, resourceId: audit.resourceId, outcome: "success", requestId, details: audit.details });
      return { ok: true, data };
    } catch (error) {
      const { status, body } = toErrorResponse(error, requestId, log);
      if (principal) {
        await recordAudit({ principal, action: options.name, resourceType: options.resourceType, resourceId: audit.resourceId, outcome: "error", errorCode: body.error, requestId, details: audit.details });
      }
      return { ok: false, error: body, status };
    }
  };
}
