import "server-only";
import { cache } from "react";
import { auth } from "./auth-config";
import type { Principal } from "./principal";
import { principalFromSession } from "./session-principal";

/**
 * The signed-in person for server components and server actions (which have no Request object;
 * Auth.js reads the cookie through next/headers). Cached per render.
 */
export const currentPrincipal = cache(async (): Promise<Principal | null> => principalFromSession(await auth()));
