import { z } from "zod";
import { PERMISSIONS } from "../domain/permissions";

export const ZMe = z.object({
  id: z.string().describe("Keycloak subject"),
  username: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  type: z.enum(["user", "client"]),
  client_id: z.string().nullable().describe("the OAuth client the credential was issued to (azp)"),
  authenticated_via: z.enum(["session", "bearer"]),
  permissions: z.array(z.enum(PERMISSIONS)).describe("effective permissions (infrastructure:admin implies all)"),
});
export type Me = z.infer<typeof ZMe>;
