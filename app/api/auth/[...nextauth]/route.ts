// GET, POST /api/auth/* — Auth.js: sign-in with Keycloak, callback, session, CSRF token, sign-out.
import { handlers } from "@/server/auth/auth-config";

export const { GET, POST } = handlers;
