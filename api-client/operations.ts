// Generated from the endpoint contracts by `npx tsx server/openapi/write-client-operations-cli.ts`.
// Do not edit: tests/api/api-client.test.ts fails when this file and the contracts disagree.
import type * as audit from "@/server/audit/api";
import type * as auth from "@/server/auth/api";
import type * as databases from "@/server/databases/api";
import type * as health from "@/server/health/api";
import type * as maintenanceWindows from "@/server/maintenance-windows/api";
import type * as metrics from "@/server/metrics/api";
import type * as migrations from "@/server/migrations/api";
import type * as migrationsHistoryEdits from "@/server/migrations/history-edits/api";
import type * as openapi from "@/server/openapi/api";
import type * as schedules from "@/server/schedules/api";
import type * as tenants from "@/server/tenants/api";
import type * as webhooks from "@/server/webhooks/api";
import type { Operation } from "./types";

export const operations = {
  acceptDrift: { method: "POST", path: "/api/migrations/drift/accept" } as Operation<typeof migrationsHistoryEdits.acceptDriftEndpoint, "json">,
  approve: { method: "POST", path: "/api/migrations/{id}/approve" } as Operation<typeof migrations.approveEndpoint, "json">,
  baseline: { method: "POST", path: "/api/migrations/baseline" } as Operation<typeof migrationsHistoryEdits.baselineEndpoint, "json">,
  cancel: { method: "POST", path: "/api/migrations/{id}/cancel" } as Operation<typeof migrations.cancelEndpoint, "json">,
  createDatabase: { method: "POST", path: "/api/databases" } as Operation<typeof databases.createDatabase, "json">,
  createMaintenanceWindow: { method: "POST", path: "/api/maintenance-windows" } as Operation<typeof maintenanceWindows.createMaintenanceWindowEndpoint, "json">,
  createSchedule: { method: "POST", path: "/api/schedules" } as Operation<typeof schedules.createScheduleEndpoint, "json">,
  createTenant: { method: "POST", path: "/api/tenants" } as Operation<typeof tenants.createTenantEndpoint, "json">,
  createWebhook: { method: "POST", path: "/api/webhooks" } as Operation<typeof webhooks.createWebhookEndpoint, "json">,
  deleteDatabase: { method: "DELETE", path: "/api/databases/{id}" } as Operation<typeof databases.deleteDatabase, "empty">,
  deleteMaintenanceWindow: { method: "DELETE", path: "/api/maintenance-windows/{id}" } as Operation<typeof maintenanceWindows.deleteMaintenanceWindowEndpoint, "empty">,
  deleteSchedule: { method: "DELETE", path: "/api/schedules/{id}" } as Operation<typeof schedules.deleteScheduleEndpoint, "empty">,
  deleteWebhook: { method: "DELETE", path: "/api/webhooks/{id}" } as Operation<typeof webhooks.deleteWebhookEndpoint, "empty">,
  discoverTenants: { method: "GET", path: "/api/tenants/discover" } as Operation<typeof tenants.discoverTenantsEndpoint, "json">,
  dropTenantSchema: { method: "DELETE", path: "/api/tenants/{id}/schema" } as Operation<typeof tenants.dropTenantSchemaEndpoint, "json">,
  execute: { method: "POST", path: "/api/migrations/execute" } as Operation<typeof migrations.executeEndpoint, "json">,
  executionEvents: { method: "GET", path: "/api/migrations/{id}/events" } as Operation<typeof migrations.executionEventsEndpoint, "text">,
  executionLocks: { method: "GET", path: "/api/migrations/{id}/locks" } as Operation<typeof migrations.executionLocksEndpoint, "json">,
  executionStatus: { method: "GET", path: "/api/migrations/status/{id}" } as Operation<typeof migrations.executionStatusEndpoint, "json">,
  getCatalog: { method: "GET", path: "/api/migrations/catalog" } as Operation<typeof migrations.getCatalogEndpoint, "json">,
  getDatabase: { method: "GET", path: "/api/databases/{id}" } as Operation<typeof databases.getDatabase, "json">,
  getDatabaseHealth: { method: "GET", path: "/api/databases/{id}/health" } as Operation<typeof databases.getDatabaseHealth, "json">,
  getDetailedHealth: { method: "GET", path: "/api/health/detailed" } as Operation<typeof health.getDetailedHealth, "json">,
  getFleetState: { method: "GET", path: "/api/migrations/fleet-state" } as Operation<typeof migrations.getFleetStateEndpoint, "json">,
  getHealth: { method: "GET", path: "/api/health" } as Operation<typeof health.getHealth, "json">,
  getLiveness: { method: "GET", path: "/api/health/live" } as Operation<typeof health.getLiveness, "json">,
  getMaintenanceWindow: { method: "GET", path: "/api/maintenance-windows/{id}" } as Operation<typeof maintenanceWindows.getMaintenanceWindowEndpoint, "json">,
  getMe: { method: "GET", path: "/api/auth/me" } as Operation<typeof auth.getMe, "json">,
  getOpenApiDocument: { method: "GET", path: "/api/openapi.json" } as Operation<typeof openapi.getOpenApiDocument, "json">,
  getPlan: { method: "GET", path: "/api/migrations/dynamic/plan" } as Operation<typeof migrations.getPlanEndpoint, "json">,
  getPrometheusMetrics: { method: "GET", path: "/api/metrics" } as Operation<typeof metrics.getPrometheusMetrics, "text">,
  getReadiness: { method: "GET", path: "/api/health/ready" } as Operation<typeof health.getReadiness, "json">,
  getSchedule: { method: "GET", path: "/api/schedules/{id}" } as Operation<typeof schedules.getScheduleEndpoint, "json">,
  getServiceHealth: { method: "GET", path: "/api/health/services/{name}" } as Operation<typeof health.getServiceHealth, "json">,
  getSystemMetrics: { method: "GET", path: "/api/health/metrics" } as Operation<typeof health.getSystemMetrics, "json">,
  getTargets: { method: "GET", path: "/api/migrations/dynamic/targets" } as Operation<typeof migrations.getTargetsEndpoint, "json">,
  getTenant: { method: "GET", path: "/api/tenants/{id}" } as Operation<typeof tenants.getTenantEndpoint, "json">,
  getWebhook: { method: "GET", path: "/api/webhooks/{id}" } as Operation<typeof webhooks.getWebhookEndpoint, "json">,
  listAuditEntries: { method: "GET", path: "/api/audit" } as Operation<typeof audit.listAuditEntries, "json">,
  listDatabases: { method: "GET", path: "/api/databases" } as Operation<typeof databases.listDatabases, "json">,
  listExecutions: { method: "GET", path: "/api/migrations" } as Operation<typeof migrations.listExecutionsEndpoint, "json">,
  listMaintenanceWindows: { method: "GET", path: "/api/maintenance-windows" } as Operation<typeof maintenanceWindows.listMaintenanceWindowsEndpoint, "json">,
  listSchedules: { method: "GET", path: "/api/schedules" } as Operation<typeof schedules.listSchedulesEndpoint, "json">,
  listTenants: { method: "GET", path: "/api/tenants" } as Operation<typeof tenants.listTenantsEndpoint, "json">,
  listWebhookDeliveries: { method: "GET", path: "/api/webhooks/{id}/deliveries" } as Operation<typeof webhooks.listWebhookDeliveriesEndpoint, "json">,
  listWebhooks: { method: "GET", path: "/api/webhooks" } as Operation<typeof webhooks.listWebhooksEndpoint, "json">,
  migrationsHealth: { method: "GET", path: "/api/migrations/health" } as Operation<typeof migrations.migrationsHealthEndpoint, "json">,
  overrideMaintenanceWindow: { method: "POST", path: "/api/migrations/{id}/window-override" } as Operation<typeof maintenanceWindows.overrideMaintenanceWindowEndpoint, "json">,
  registerDiscovered: { method: "POST", path: "/api/tenants/discover" } as Operation<typeof tenants.registerDiscoveredEndpoint, "json">,
  resolveInterrupted: { method: "POST", path: "/api/migrations/interrupted/resolve" } as Operation<typeof migrationsHistoryEdits.resolveInterruptedEndpoint, "json">,
  resume: { method: "POST", path: "/api/migrations/{id}/resume" } as Operation<typeof migrations.resumeEndpoint, "json">,
  retry: { method: "POST", path: "/api/migrations/{id}/retry" } as Operation<typeof migrations.retryEndpoint, "json">,
  rollback: { method: "POST", path: "/api/migrations/rollback" } as Operation<typeof migrations.rollbackEndpoint, "json">,
  rollbackPlan: { method: "GET", path: "/api/migrations/rollback/plan" } as Operation<typeof migrations.rollbackPlanEndpoint, "json">,
  rollbackToVersion: { method: "POST", path: "/api/migrations/rollback/to-version" } as Operation<typeof migrations.rollbackToVersionEndpoint, "json">,
  tenantMigrate: { method: "POST", path: "/api/tenants/{id}/migrate" } as Operation<typeof migrations.tenantMigrateEndpoint, "json">,
  tenantMigrations: { method: "GET", path: "/api/tenants/{id}/migrations" } as Operation<typeof migrations.tenantMigrationsEndpoint, "json">,
  tenantRollback: { method: "POST", path: "/api/tenants/{id}/rollback" } as Operation<typeof migrations.tenantRollbackEndpoint, "json">,
  tenantSchemaDropPreview: { method: "GET", path: "/api/tenants/{id}/drop-preview" } as Operation<typeof tenants.tenantSchemaDropPreviewEndpoint, "json">,
  testDatabase: { method: "POST", path: "/api/databases/{id}/test" } as Operation<typeof databases.testDatabase, "json">,
  testWebhook: { method: "POST", path: "/api/webhooks/{id}/test" } as Operation<typeof webhooks.testWebhookEndpoint, "json">,
  updateDatabase: { method: "PATCH", path: "/api/databases/{id}" } as Operation<typeof databases.updateDatabase, "json">,
  updateMaintenanceWindow: { method: "PATCH", path: "/api/maintenance-windows/{id}" } as Operation<typeof maintenanceWindows.updateMaintenanceWindowEndpoint, "json">,
  updateSchedule: { method: "PATCH", path: "/api/schedules/{id}" } as Operation<typeof schedules.updateScheduleEndpoint, "json">,
  updateTenant: { method: "PATCH", path: "/api/tenants/{id}" } as Operation<typeof tenants.updateTenantEndpoint, "json">,
  updateWebhook: { method: "PATCH", path: "/api/webhooks/{id}" } as Operation<typeof webhooks.updateWebhookEndpoint, "json">,
} as const;

export type OperationId = keyof typeof operations;
