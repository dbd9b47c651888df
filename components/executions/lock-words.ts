/**
 * pg_locks' words as operators read them: `AccessExclusiveLock` → `ACCESS EXCLUSIVE` (the name
 * LOCK TABLE and the documentation use), and a blocker described by who it is.
 */

export function lockModeLabel(mode: string): string {
  const words = mode.replace(/Lock$/, "").replace(/([a-z])([A-Z])/g, "$1 $2");
  return words.toUpperCase();
}

export function blockerLabel(b: { pid: number; application_name: string | null; user: string | null }): string {
  if (b.pid === 0) return "a prepared transaction";
  const who = [b.application_name ? `“${b.application_name}”` : null, b.user ? `user ${b.user}` : null].filter(Boolean).join(", ");
  return who ? `pid ${b.pid} (${who})` : `pid ${b.pid}`;
}
