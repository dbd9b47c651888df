/** How the detailed health endpoint's services read in the console. */
export const SERVICE_LABELS: Record<string, { title: string; description: string }> = {
  control_plane: { title: "Control plane", description: "The console's own PostgreSQL: executions, events, registry, job queue." },
  keycloak: { title: "Keycloak", description: "Sign-in and the keys API tokens are verified with." },
  worker: { title: "Migration workers", description: "Processes that take migration jobs from the queue." },
  fleet: { title: "Fleet", description: "The registered databases, as the health refresher last saw them." },
  catalog: { title: "Migration catalog", description: "The migration files: every one loads, or which do not and why." },
};

export function serviceLabel(name: string) {
  return SERVICE_LABELS[name] ?? { title: name.replace(/_/g, " "), description: "" };
}
