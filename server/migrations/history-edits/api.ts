import { ZBaselineReport } from "../../contracts/baseline";
import { defineEndpoint } from "../../contracts/endpoint";
import { ZAcceptDriftRequest, ZBaselineRequest, ZResolveInterruptedRequest, ZResolveReport } from "./schemas";

const tags = ["Migrations"];

export const baselineEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/baseline",
  summary: "Baseline a scope: mark migrations as applied without running them",
  description:
    "For a fleet built before the console: every target of the scope records the selected migrations of its tier " +
    "(to_version: all up to that version; or migration_ids) with state baselined, who asked and no execution, under " +
    "the target's lock. Before anything is written every target is checked for the objects those migrations create " +
    "(tables, columns, named indexes, types, functions, views, sequences, after what later ones drop or rename): a " +
    "target lacking some refuses the whole request (409 reason missing_objects, details.report lists them per target) " +
    "unless confirm_missing with a reason. dry_run: check and report, write nothing. Migrations already in a target's " +
    "history are left as they are. Baselined migrations are never rolled back by the console.",
  tags,
  access: "migrations:manage",
  body: ZBaselineRequest,
  response: ZBaselineReport,
  action: "migrations.baseline",
  resourceType: "migration_history",
});

export const acceptDriftEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/drift/accept",
  summary: "Accept drift: applied files that changed since",
  description:
    "Every target of the scope whose history shows drift on the given migrations records the file's current checksum " +
    "(under the target's lock), which unblocks it. The audit record keeps the reason, who, and each target's old and " +
    "new checksum. 409 when no target of the scope shows the drift.",
  tags,
  access: "migrations:manage",
  body: ZAcceptDriftRequest,
  response: ZResolveReport,
  action: "migrations.accept_drift",
  resourceType: "migration_history",
});

export const resolveInterruptedEndpoint = defineEndpoint({
  method: "POST",
  path: "/api/migrations/interrupted/resolve",
  summary: "Resolve interrupted transaction: false migrations",
  description:
    "Every target of the scope whose history shows the given migrations started or failed outside a transaction: " +
    "mark_applied records them as applied (you checked the target: it finished), retry removes their rows so the next " +
    "execution runs them again. Under each target's lock; the audit record keeps the reason and who. 409 when no target " +
    "of the scope shows them.",
  tags,
  access: "migrations:manage",
  body: ZResolveInterruptedRequest,
  response: ZResolveReport,
  action: "migrations.resolve_interrupted",
  resourceType: "migration_history",
});
