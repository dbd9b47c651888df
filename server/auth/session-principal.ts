import type { Session } from "next-auth";
import { getSettings } from "../config/settings";
import type { Principal } from "./principal";

/** The Principal a browser session stands for, or null when it has ended (failed refresh). */
export function principalFromSession(session: Session | null): Principal | null {
  const user = session?.user;
  if (!session || session.error || !user?.id || !Array.isArray(user.permissions)) return null;
  return {
    id: user.id,
    username: user.username,
    ...(user.name ? { name: user.name } : {}),
    ...(user.email ? { email: user.email } : {}),
    type: "user",
    clientId: getSettings().keycloak.clientId,
    permissions: user.permissions,
    via: "session",
  };
}
