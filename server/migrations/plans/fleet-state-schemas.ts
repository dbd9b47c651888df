import { z } from "zod";
import { ZMigrationState } from "../../contracts/migration-state";
import { TIERS } from "../../domain/fleet";

/** The fleet state endpoint: targets per tier and region at head, behind, blocked, failed last run. */

const zTier = z.enum(TIERS);

export const ZFleetStateQuery = z.strictObject({
  connection_id: z
    .uuid({ message: "connection_id must be a UUID" })
    .optional()
    .describe("only the targets on this database (its own schema and the tenants it hosts), with its own state"),
});
export type FleetStateQuery = z.infer<typeof ZFleetStateQuery>;

const counts = {
  targets: z.number().int().describe("active targets: live, active databases' own schemas and active tenants on them"),
  at_head: z.number().int().describe("every migration of the tier's catalog applied"),
  behind: z.number().int().describe("something of the tier's catalog not applied"),
  unknown: z.number().int().describe("never read by the console (no plan, run or baseline has covered them)"),
  blocked: z.number().int().describe("drift, an interrupted migration, or behind while a catalog problem breaks the tier"),
  failed: z.number().int().describe("the last execution (not a rehearsal) failed on them"),
  pending_migrations: z.number().int().describe("migrations not applied, summed over the targets"),
};

export const ZFleetStateGroup = z.object({ tier: zTier, region: z.string().nullable(), ...counts });
export type FleetStateGroup = z.infer<typeof ZFleetStateGroup>;

export const ZFleetState = z.object({
  catalog: z.object({
    available: z.boolean().describe("false when MIGRATIONS_DIR cannot be read: nothing can be compared, every count is unknown"),
    tiers: z.array(
      z.object({
        tier: zTier,
        migrations: z.number().int(),
        head: z.string().nullable().describe("the tier's highest version"),
        broken: z.boolean().describe("a catalog problem keeps the tier's targets from being planned"),
      }),
    ),
  }),
  groups: z.array(ZFleetStateGroup).describe("one per tier and region that has targets"),
  totals: z.object(counts),
  database: z
    .object({
      connection_id: z.uuid(),
      connection_name: z.string(),
      tier: zTier,
      schema_name: z.string().nullable().describe("its own target's schema; null for a dedicated tenant database"),
      migration_state: ZMigrationState.nullable(),
    })
    .nullable()
    .describe("with connection_id: the database and its own target's state"),
});
export type FleetStateView = z.infer<typeof ZFleetState>;
