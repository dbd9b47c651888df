/**
 * The fleet's words, shared by the control-plane tables, the services and the dashboard: a
 * connection's tier and SSL mode, a tenant's status. No imports: anything may depend on this file.
 */
export const TIERS = ["admin", "shared", "analytics", "tenant"] as const;
export type Tier = (typeof TIERS)[number];
export const SSL_MODES = ["disable", "prefer", "require", "verify-ca", "verify-full"] as const;
export type SslMode = (typeof SSL_MODES)[number];
export const TENANT_STATUSES = ["active", "suspended", "archived"] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];
