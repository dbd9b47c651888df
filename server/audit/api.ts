import { defineEndpoint } from "../contracts/endpoint";
import { ZAuditList, ZAuditQuery } from "./schemas";

export const listAuditEntries = defineEndpoint({
  method: "GET",
  path: "/api/audit",
  summary: "The audit log: who changed what, and how it ended",
  description:
    "Newest first. Filter by actor (id or username), action, resource, outcome and time range; page with " +
    "before_id = the previous page's next_before_id (null on the last page).",
  tags: ["Audit"],
  access: "infrastructure:admin",
  query: ZAuditQuery,
  response: ZAuditList,
});
