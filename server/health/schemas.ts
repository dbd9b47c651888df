import { z } from "zod";

export const ZBasicHealth = z.object({
  status: z.enum(["healthy", "degraded", "unhealthy"]),
  timestamp: z.string(),
  version: z.string(),
  environment: z.string(),
});
export type BasicHealth = z.infer<typeof ZBasicHealth>;
