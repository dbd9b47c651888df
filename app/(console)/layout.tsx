import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { QueryProvider } from "@/components/providers/query-provider";
import { ViewerProvider } from "@/components/providers/viewer-context";
import { AppShell } from "@/components/shell/app-shell";
import { currentPrincipal } from "@/server/auth/current-principal";
import { getSettings } from "@/server/config/settings";

/** Every console page requires a signed-in person; the sign-in page sends them back here. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const principal = await currentPrincipal();
  if (!principal) redirect("/signin");
  const settings = getSettings();
  const viewer = {
    id: principal.id,
    username: principal.username,
    name: principal.name,
    email: principal.email,
    permissions: principal.permissions,
  };
  return (
    <ViewerProvider viewer={viewer}>
      <QueryProvider>
        <AppShell appName={settings.appName} environment={settings.environment}>
          {children}
        </AppShell>
      </QueryProvider>
    </ViewerProvider>
  );
}
