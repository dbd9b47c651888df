"use server";

import { signIn, signOut } from "./auth-config";

/** Starts the Keycloak sign-in; `redirectTo` must be a path of this console. */
export async function signInAction(form: FormData) {
  const target = String(form.get("redirectTo") ?? "/");
  const redirectTo = target.startsWith("/") && !target.startsWith("//") ? target : "/";
  await signIn("keycloak", { redirectTo });
}

/** Ends the console session and, through Auth.js's signOut event, the Keycloak session. */
export async function signOutAction() {
  await signOut({ redirectTo: "/signin" });
}
