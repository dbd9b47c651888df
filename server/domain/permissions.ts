/**
 * The console's permissions: Keycloak realm roles (or client roles of the console's client) with
 * these exact names. This one table is used by route handlers, server actions and the UI.
 */
export const PERMISSIONS = [
  "migrations:read",
  "migrations:execute",
  "migrations:manage",
  "databases:read",
  "databases:manage",
  "infrastructure:admin",
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_DESCRIPTIONS: Record<Permission, string> = {
  "migrations:read": "See the catalog, plans, executions and tenants' migration state",
  "migrations:execute": "Run, rehearse, cancel and roll back executions",
  "migrations:manage": "Approve executions, manage schedules, baseline targets and resolve drift or interrupted migrations",
  "databases:read": "See registered databases, tenants and their health",
  "databases:manage": "Register, change and remove databases and tenants",
  "infrastructure:admin": "Everything, plus the audit log, detailed health, metrics and outbound webhooks",
};

const KNOWN = new Set<string>(PERMISSIONS);

export function isPermission(value: string): value is Permission {
  return KNOWN.has(value);
}

/** The permissions a set of Keycloak roles grants; unknown roles are ignored. */
export function permissionsFromRoles(roles: Iterable<string>): Permission[] {
  const granted = new Set<Permission>();
  for (const role of roles) if (isPermission(role)) granted.add(role);
  return PERMISSIONS.filter((p) => granted.has(p));
}

/** `infrastructure:admin` implies every other permission. */
export function hasPermission(granted: readonly string[], needed: Permission): boolean {
  return granted.includes("infrastructure:admin") || granted.includes(needed);
}

/** What the UI may show: every action a control can trigger, and the permission it needs. */
export const ACTIONS = {
  "executions.run": "migrations:execute",
  "executions.dryRun": "migrations:execute",
  "executions.cancel": "migrations:execute",
  "executions.resume": "migrations:execute",
  "executions.rollback": "migrations:execute",
  "executions.approve": "migrations:manage",
  "migrations.baseline": "migrations:manage",
  "migrations.resolve": "migrations:manage",
  "tenants.migrate": "migrations:execute",
  "schedules.manage": "migrations:manage",
  "databases.manage": "databases:manage",
  "tenants.manage": "databases:manage",
  "tenants.dropSchema": "infrastructure:admin",
  "audit.read": "infrastructure:admin",
  "health.detailed": "infrastructure:admin",
  "webhooks.manage": "infrastructure:admin",
  "maintenanceWindows.manage": "infrastructure:admin",
  "executions.overrideWindow": "infrastructure:admin",
} as const satisfies Record<string, Permission>;

export type Action = keyof typeof ACTIONS;

export function can(granted: readonly string[], action: Action): boolean {
  return hasPermission(granted, ACTIONS[action]);
}
