"use client";

import { MenuIcon, ServerCogIcon, XIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { ThemeToggle } from "@/components/theme/theme-toggle";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { hasPermission } from "@/server/domain/permissions";
import { useViewer } from "@/components/providers/viewer-context";
import { isActive, NAV_ITEMS } from "./nav-items";
import { RateLimitNotice } from "./rate-limit-notice";
import { UserMenu } from "./user-menu";

/** Sidebar navigation, top bar with the signed-in user, and the page. */
export function AppShell({ appName, environment, children }: { appName: string; environment: string; children: ReactNode }) {
  const viewer = useViewer();
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const items = NAV_ITEMS.filter((item) => !item.permission || hasPermission(viewer.permissions, item.permission));

  // On narrow screens the navigation is a drawer: Escape closes it, as it would a dialog.
  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open]);

  const nav = (
    <nav aria-label="Main" className="grid gap-0.5 p-3">
      {items.map((item) => {
        const active = isActive(pathname, item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            onClick={() => setOpen(false)}
            aria-current={active ? "page" : undefined}
            className={cn(
              "flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium text-muted-foreground transition-colors",
              "hover:bg-accent hover:text-accent-foreground",
              active && "bg-accent text-foreground",
            )}
          >
            <item.icon className="size-4" aria-hidden />
            {item.label}
          </Link>
        );
      })}
    </nav>
  );

  return (
    <div className="flex min-h-dvh">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-primary px-3 py-2 text-primary-foreground focus:not-sr-only focus:fixed focus:top-2 focus:left-2"
      >
        Skip to content
      </a>
      <aside
        className={cn(
          "fixed inset-y-0 left-0 z-40 w-60 shrink-0 border-r border-border bg-card transition-transform lg:sticky lg:top-0 lg:h-dvh lg:translate-x-0",
          open ? "translate-x-0" : "-translate-x-full",
        )}
        aria-label="Sidebar"
      >
        <div className="flex h-14 items-center gap-2 border-b border-border px-4">
          <ServerCogIcon className="size-5 text-primary" aria-hidden />
          <Link href="/" className="truncate text-sm font-semibold" title={appName}>
            Infrastructure Console
          </Link>
          <Button variant="ghost" size="icon-sm" className="ml-auto lg:hidden" aria-label="Close navigation" onClick={() => setOpen(false)}>
            <XIcon aria-hidden />
          </Button>
        </div>
        {nav}
      </aside>
      {open ? <div className="fixed inset-0 z-30 bg-black/40 lg:hidden" aria-hidden onClick={() => setOpen(false)} /> : null}
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="sticky top-0 z-20 flex h-14 items-center gap-2 border-b border-border bg-background/95 px-4 backdrop-blur">
          <Button variant="ghost" size="icon-sm" className="lg:hidden" aria-label="Open navigation" onClick={() => setOpen(true)}>
            <MenuIcon aria-hidden />
          </Button>
          <span className="rounded-md border border-border px-2 py-0.5 text-xs text-muted-foreground" title="Environment">
            {environment}
          </span>
          <div className="ml-auto flex items-center gap-1">
            <ThemeToggle />
            <UserMenu />
          </div>
        </header>
        <main id="main" className="mx-auto w-full max-w-[1400px] flex-1 px-4 py-6 sm:px-6 lg:px-8">
          {children}
        </main>
      </div>
      <RateLimitNotice />
    </div>
  );
}
