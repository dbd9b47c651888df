import type { SslMode, Tier } from "@/server/domain/fleet";

export const TIER_OPTIONS: Array<{ value: Tier; label: string; hint: string }> = [
  { value: "admin", label: "Admin", hint: "the one global admin database" },
  { value: "shared", label: "Shared", hint: "a region's shared database; tenant schemas usually live here" },
  { value: "analytics", label: "Analytics", hint: "reporting and events" },
  { value: "tenant", label: "Tenant", hint: "a dedicated database for one large tenant" },
];

export const SSL_OPTIONS: Array<{ value: SslMode; label: string }> = [
  { value: "prefer", label: "prefer (TLS when offered)" },
  { value: "require", label: "require (TLS, certificate not checked)" },
  { value: "verify-ca", label: "verify-ca (trusted certificate)" },
  { value: "verify-full", label: "verify-full (trusted certificate and host name)" },
  { value: "disable", label: "disable (no TLS)" },
];

export const tierLabel = (tier: Tier) => TIER_OPTIONS.find((t) => t.value === tier)?.label ?? tier;
