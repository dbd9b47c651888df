import { LogInIcon, ServerCogIcon } from "lucide-react";
import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";
import { currentPrincipal } from "@/server/auth/current-principal";
import { signInAction } from "@/server/auth/session-actions";
import { getSettings } from "@/server/config/settings";

export const metadata: Metadata = { title: "Sign in · Infrastructure Console" };

const MESSAGES: Record<string, string> = {
  SessionExpired: "Your session expired. Sign in again to continue.",
  AccessDenied: "Access was denied by the identity provider.",
  Configuration: "Sign-in is misconfigured on the server. Check the Keycloak settings in the console's log.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ error?: string; callbackUrl?: string }> }) {
  const { error, callbackUrl } = await searchParams;
  if (!error && (await currentPrincipal())) redirect("/");
  const settings = getSettings();
  const redirectTo = callbackUrl && callbackUrl.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  return (
    <main className="grid min-h-dvh place-items-center bg-muted/40 p-4">
      <Card className="w-full max-w-sm">
        {/* One column: the card header's default grid keeps a second column for card actions. */}
        <CardHeader className="grid-cols-1 justify-items-center text-center">
          <ServerCogIcon className="size-8 text-primary" aria-hidden />
          <h1 className="text-xl leading-snug font-semibold tracking-tight">Infrastructure Console</h1>
          <CardDescription>Schema migrations across the NeoMultiTenant PostgreSQL fleet.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          {error ? (
            <p role="alert" className="rounded-md border border-destructive-border bg-destructive-soft px-3 py-2 text-sm text-destructive-soft-foreground">
              {MESSAGES[error] ?? "Sign-in did not complete. Try again."}
            </p>
          ) : null}
          <form action={signInAction}>
            <input type="hidden" name="redirectTo" value={redirectTo} />
            <Button type="submit" className="w-full">
              <LogInIcon aria-hidden />
              Sign in with Keycloak
            </Button>
          </form>
          {settings.keycloak.isDevRealm ? (
            <p className="text-center text-xs text-muted-foreground">
              Development realm: sign in as <code>viewer</code>, <code>operator</code> or <code>admin</code> (password = user name).
            </p>
          ) : null}
        </CardContent>
      </Card>
    </main>
  );
}
