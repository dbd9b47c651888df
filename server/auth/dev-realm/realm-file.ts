import { readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The parts of a Keycloak realm export (`kc.sh export`, Keycloak 24+) the development realm reads.
 * Everything else in the file is kept for Keycloak and ignored here, so the same file imports into
 * a real Keycloak unchanged.
 */

/** The realm file shipped with the console; operators import the same file into Keycloak. */
export const DEFAULT_REALM_FILE = path.join(process.cwd(), "deploy", "keycloak", "realm.json");

const ZRole = z.looseObject({
  name: z.string().min(1),
  composite: z.boolean().default(false),
  composites: z
    .looseObject({
      realm: z.array(z.string()).default([]),
      client: z.record(z.string(), z.array(z.string())).default({}),
    })
    .optional(),
});

const ZCredential = z.looseObject({
  type: z.string(),
  /** Export form: JSON strings holding the hash and its parameters. */
  secretData: z.string().optional(),
  credentialData: z.string().optional(),
  /** Import-only form Keycloak also accepts: the plain password. */
  value: z.string().optional(),
  temporary: z.boolean().optional(),
});

const ZUser = z.looseObject({
  id: z.string().min(1),
  username: z.string().min(1),
  enabled: z.boolean().default(true),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  email: z.string().optional(),
  emailVerified: z.boolean().default(false),
  serviceAccountClientId: z.string().optional(),
  credentials: z.array(ZCredential).default([]),
  realmRoles: z.array(z.string()).default([]),
  clientRoles: z.record(z.string(), z.array(z.string())).default({}),
});

const ZProtocolMapper = z.looseObject({
  name: z.string(),
  protocolMapper: z.string(),
  config: z.record(z.string(), z.string()).default({}),
});

const ZClient = z.looseObject({
  clientId: z.string().min(1),
  name: z.string().optional(),
  enabled: z.boolean().default(true),
  secret: z.string().optional(),
  publicClient: z.boolean().default(false),
  bearerOnly: z.boolean().default(false),
  standardFlowEnabled: z.boolean().default(true),
  serviceAccountsEnabled: z.boolean().default(false),
  redirectUris: z.array(z.string()).default([]),
  rootUrl: z.string().optional(),
  attributes: z.record(z.string(), z.string()).default({}),
  protocolMappers: z.array(ZProtocolMapper).default([]),
});

const ZRealmExport = z.looseObject({
  realm: z.string().regex(/^[A-Za-z0-9_.-]+$/, { message: "realm must be a plain name" }),
  enabled: z.boolean().default(true),
  accessTokenLifespan: z.number().int().positive().default(300),
  ssoSessionIdleTimeout: z.number().int().positive().default(1800),
  ssoSessionMaxLifespan: z.number().int().positive().default(36_000),
  accessCodeLifespan: z.number().int().positive().default(60),
  accessCodeLifespanLogin: z.number().int().positive().default(1800),
  revokeRefreshToken: z.boolean().default(false),
  loginWithEmailAllowed: z.boolean().default(true),
  displayName: z.string().optional(),
  roles: z
    .looseObject({
      realm: z.array(ZRole).default([]),
      client: z.record(z.string(), z.array(ZRole)).default({}),
    })
    .default({ realm: [], client: {} }),
  defaultRole: z.looseObject({ name: z.string() }).optional(),
  users: z.array(ZUser).default([]),
  clients: z.array(ZClient).default([]),
});

export type RealmExport = z.infer<typeof ZRealmExport>;
export type RealmUser = z.infer<typeof ZUser>;
export type RealmClient = z.infer<typeof ZClient>;
export type RealmRole = z.infer<typeof ZRole>;
export type RealmCredential = z.infer<typeof ZCredential>;

export class RealmFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RealmFileError";
  }
}

/** Validates a parsed realm export; problems name the field so a broken file is easy to fix. */
export function parseRealmExport(data: unknown, source = "realm file"): RealmExport {
  const parsed = ZRealmExport.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new RealmFileError(`${source} is not a usable Keycloak realm export:\n  - ${problems.join("\n  - ")}`);
  }
  return parsed.data;
}

export function loadRealmFile(file: string = DEFAULT_REALM_FILE): RealmExport {
  let text: string;
  try {
    text = readFileSync(/*turbopackIgnore: true*/ file, "utf8");
  } catch {
    throw new RealmFileError(`cannot read the realm file ${file}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new RealmFileError(`${file} is not valid JSON`);
  }
  return parseRealmExport(data, file);
}

/**
 * A confidential client's secret from the realm file. The console uses it for its own client when
 * it talks to the development realm, so the secret lives in one place.
 */
export function clientSecretFromRealmFile(clientId: string, file: string = DEFAULT_REALM_FILE): string | undefined {
  return loadRealmFile(file).clients.find((c) => c.clientId === clientId)?.secret;
}
