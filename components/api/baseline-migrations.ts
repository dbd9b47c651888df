import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { BaselineReport } from "@/server/contracts/baseline";
import type { z } from "zod";
import type { ZBaselineRequest } from "@/server/migrations/history-edits/schemas";
import { ApiError, fetchJson } from "./fetch-json";
import { planKeys } from "./get-plan";
import { tenantMigrationKeys } from "./get-tenant-migrations";

export type { BaselineReport };
export type BaselineTarget = BaselineReport["targets"][number];
export type BaselineInput = z.input<typeof ZBaselineRequest>;

/**
 * POST /api/migrations/baseline — with dry_run, the verification (each target's missing objects);
 * without, the marking. A refusal (409: objects missing, a target unreachable) carries the same
 * report in its details: `refusedReport` reads it.
 */
export function useBaselineMigrations() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: BaselineInput) => fetchJson<BaselineReport>("/api/migrations/baseline", { method: "POST", json: input }),
    onSuccess: (_report, input) => {
      if (input.dry_run) return;
      void client.invalidateQueries({ queryKey: planKeys.all });
      void client.invalidateQueries({ queryKey: tenantMigrationKeys.all });
    },
  });
}

/** The report a refused baseline carries, when the error is one. */
export function refusedReport(error: unknown): BaselineReport | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const report = error.body.details?.report;
  return report && typeof report === "object" ? (report as BaselineReport) : null;
}
