import { describe, expect, it } from "vitest";
import type { TargetMigrationResult } from "../../domain/executions";
import { keepEarlierAttempts } from "./attempts";

const m = (id: string, status: TargetMigrationResult["status"], durationMs?: number): TargetMigrationResult => {
  const [tier, rest] = id.split("/") as [string, string];
  const [version, ...name] = rest.split("_");
  return { id, tier, version: version!, name: name.join("_"), checksum: "c", status, ...(durationMs ? { durationMs } : {}) };
};

describe("keepEarlierAttempts", () => {
  it("keeps what an earlier attempt applied instead of the retry's 'skipped' (already applied)", () => {
    const first = [m("tenant/0001_a", "applied", 12), m("tenant/0002_b", "failed"), m("tenant/0003_c", "pending")];
    const retry = [m("tenant/0001_a", "skipped"), m("tenant/0002_b", "applied", 5), m("tenant/0003_c", "applied", 7)];
    expect(keepEarlierAttempts(first, retry).map((x) => [x.id, x.status, x.durationMs])).toEqual([
      ["tenant/0001_a", "applied", 12],
      ["tenant/0002_b", "applied", 5],
      ["tenant/0003_c", "applied", 7],
    ]);
  });

  it("leaves a migration skipped when no attempt of this execution ran it (another execution did)", () => {
    const planned = [m("tenant/0001_a", "pending")];
    expect(keepEarlierAttempts(planned, [m("tenant/0001_a", "skipped")])[0]!.status).toBe("skipped");
  });

  it("does the same for a rollback's earlier attempt", () => {
    const first = [m("tenant/0002_b", "rolled_back"), m("tenant/0001_a", "failed")];
    const retry = [m("tenant/0002_b", "skipped"), m("tenant/0001_a", "rolled_back")];
    expect(keepEarlierAttempts(first, retry).map((x) => x.status)).toEqual(["rolled_back", "rolled_back"]);
  });
});
