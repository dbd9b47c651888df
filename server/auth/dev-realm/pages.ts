/**
 * The development realm's pages: plain HTML forms with labelled fields, so a person and a browser
 * test can use them alike. Element ids follow Keycloak's login theme (username, password, kc-login).
 */

export function escapeHtml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
  body { font-family: system-ui, sans-serif; background: #f4f4f5; margin: 0; }
  main { max-width: 22rem; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 0.5rem;
         box-shadow: 0 1px 3px rgb(0 0 0 / 0.15); }
  h1 { font-size: 1.25rem; margin: 0 0 0.25rem; }
  p.realm { color: #52525b; margin: 0 0 1.5rem; font-size: 0.875rem; }
  label { display: block; font-size: 0.875rem; margin: 1rem 0 0.25rem; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 0.5rem;
         border: 1px solid #a1a1aa; border-radius: 0.25rem; font-size: 1rem; }
  button { margin-top: 1.5rem; width: 100%; padding: 0.6rem; border: 0; border-radius: 0.25rem;
           background: #1d4ed8; color: #fff; font-size: 1rem; cursor: pointer; }
  [role=alert] { background: #fef2f2; color: #991b1b; padding: 0.5rem; border-radius: 0.25rem; margin-bottom: 1rem; }
  .note { color: #52525b; font-size: 0.75rem; margin-top: 1.5rem; }
`;

function page(title: string, body: string, extraHead = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
${extraHead}
</head>
<body><main>${body}</main></body>
</html>`;
}

export interface LoginPageInput {
  realmDisplayName: string;
  action: string;
  username?: string;
  error?: string;
}

export function loginPage({ realmDisplayName, action, username, error }: LoginPageInput): string {
  return page(
    `Sign in to ${realmDisplayName}`,
    `<h1>Sign in to your account</h1>
<p class="realm">${escapeHtml(realmDisplayName)} · development realm</p>
${error ? `<div role="alert" id="input-error">${escapeHtml(error)}</div>` : ""}
<form id="kc-form-login" method="post" action="${escapeHtml(action)}">
  <label for="username">Username or email</label>
  <input type="text" id="username" name="username" autocomplete="username" autofocus required value="${escapeHtml(username ?? "")}">
  <label for="password">Password</label>
  <input type="password" id="password" name="password" autocomplete="current-password" required>
  <button type="submit" id="kc-login" name="login">Sign in</button>
</form>
<p class="note">Development users come from deploy/keycloak/realm.json.</p>`,
  );
}

/** Logout confirmation; with `autoSubmit` (a valid id_token_hint, as Keycloak does) it needs no click. */
export function logoutPage(form: string, autoSubmit: boolean): string {
  // oidc-provider renders the form (with its CSRF field) empty; the button and logout flag live here.
  const confirm = `<input type="hidden" name="logout" value="yes" form="op.logoutForm">`;
  return page(
    "Sign out",
    `<h1>Do you want to sign out?</h1>
${form}
${confirm}
<button type="submit" form="op.logoutForm" id="kc-logout">Sign out</button>
${autoSubmit ? `<script>document.getElementById("op.logoutForm").submit();</script>` : ""}`,
  );
}

export function loggedOutPage(): string {
  return page("Signed out", `<h1>You are signed out</h1>`);
}

export function errorPage(message: string): string {
  return page("Sign-in error", `<h1>We are sorry…</h1><div role="alert">${escapeHtml(message)}</div>`);
}
