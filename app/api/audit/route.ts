// GET /api/audit — the audit log with filters and keyset paging (infrastructure:admin).
import { listAuditEntries } from "@/server/audit/api";
import { searchAudit } from "@/server/audit/service";
import { route } from "@/server/http/route";

export const GET = route(listAuditEntries, ({ query }) => searchAudit(query));
