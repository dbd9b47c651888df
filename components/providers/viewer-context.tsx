"use client";

import { createContext, useContext, type ReactNode } from "react";
import { can, hasPermission, type Action, type Permission } from "@/server/domain/permissions";

/** The signed-in person as the browser may know them: no tokens, only what the UI shows and checks. */
export interface Viewer {
  id: string;
  username: string;
  name?: string;
  email?: string;
  permissions: Permission[];
}

const ViewerContext = createContext<Viewer | null>(null);

export function ViewerProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  return <ViewerContext.Provider value={viewer}>{children}</ViewerContext.Provider>;
}

export function useViewer(): Viewer {
  const viewer = useContext(ViewerContext);
  if (!viewer) throw new Error("useViewer outside the console layout");
  return viewer;
}

/** Whether the viewer may trigger `action` (controls they may not use are not rendered). */
export function useCan(action: Action): boolean {
  return can(useViewer().permissions, action);
}

export function useHasPermission(permission: Permission): boolean {
  return hasPermission(useViewer().permissions, permission);
}
