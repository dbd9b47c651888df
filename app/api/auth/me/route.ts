// GET /api/auth/me — the caller (person or automation client) and what it may do.
import { getMe } from "@/server/auth/api";
import { PERMISSIONS, hasPermission } from "@/server/domain/permissions";
import { route } from "@/server/http/route";

export const GET = route(getMe, ({ principal }) => ({
  id: principal.id,
  username: principal.username,
  name: principal.name ?? null,
  email: principal.email ?? null,
  type: principal.type,
  client_id: principal.clientId ?? null,
  authenticated_via: principal.via,
  permissions: PERMISSIONS.filter((p) => hasPermission(principal.permissions, p)),
}));
