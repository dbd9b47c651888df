import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { ResolveReport, ZAcceptDriftRequest, ZResolveInterruptedRequest } from "@/server/migrations/history-edits/schemas";
import { fetchJson } from "./fetch-json";
import { planKeys } from "./get-plan";
import { tenantMigrationKeys } from "./get-tenant-migrations";

export type { ResolveReport };
export type AcceptDriftInput = z.input<typeof ZAcceptDriftRequest>;
export type ResolveInterruptedInput = z.input<typeof ZResolveInterruptedRequest>;

/**
 * POST /api/migrations/drift/accept and /api/migrations/interrupted/resolve — what a plan shows as
 * blocking, settled with a reason; the plan and the tenants' pages are read again afterwards.
 */
export function useAcceptDrift() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AcceptDriftInput) => fetchJson<ResolveReport>("/api/migrations/drift/accept", { method: "POST", json: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: planKeys.all });
      void client.invalidateQueries({ queryKey: tenantMigrationKeys.all });
    },
  });
}

export function useResolveInterrupted() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ResolveInterruptedInput) =>
      fetchJson<ResolveReport>("/api/migrations/interrupted/resolve", { method: "POST", json: input }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: planKeys.all });
      void client.invalidateQueries({ queryKey: tenantMigrationKeys.all });
    },
  });
}
