"use client";

import { LogOutIcon, UserIcon } from "lucide-react";
import { useRef } from "react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useViewer } from "@/components/providers/viewer-context";
import { signOutAction } from "@/server/auth/session-actions";

/** Who is signed in, what they may do, and sign-out (which also ends the Keycloak session). */
export function UserMenu() {
  const viewer = useViewer();
  // The form lives outside the menu: the menu unmounts its content as soon as an item is chosen.
  const signOutForm = useRef<HTMLFormElement>(null);
  return (
    <>
    <form ref={signOutForm} action={signOutAction} hidden />
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Account: ${viewer.username}`}>
          <UserIcon aria-hidden />
          <span className="max-w-40 truncate">{viewer.name || viewer.username}</span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-72">
        <DropdownMenuLabel className="grid gap-0.5">
          <span className="font-medium">{viewer.name || viewer.username}</span>
          <span className="text-xs font-normal text-muted-foreground">{viewer.email ?? viewer.username}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuLabel className="text-xs font-normal text-muted-foreground">Permissions</DropdownMenuLabel>
        <ul className="flex flex-wrap gap-1 px-2 pb-2" aria-label="Your permissions">
          {viewer.permissions.length === 0 ? <li className="text-xs text-muted-foreground">none</li> : null}
          {viewer.permissions.map((p) => (
            <li key={p} className="rounded border border-border px-1.5 py-0.5 font-mono text-[11px]">
              {p}
            </li>
          ))}
        </ul>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => signOutForm.current?.requestSubmit()}>
          <LogOutIcon aria-hidden />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
    </>
  );
}
