/**
 * Theme settings shared by the no-flash script (which runs before React) and the provider. This file
 * has no "use client" so the root layout, a server component, can read the script as a string.
 */

export const THEME_STORAGE_KEY = "console-theme";

export const THEMES = ["light", "dark", "system"] as const;
export type Theme = (typeof THEMES)[number];
export type ResolvedTheme = Exclude<Theme, "system">;

export function isTheme(value: unknown): value is Theme {
  return typeof value === "string" && (THEMES as readonly string[]).includes(value);
}

/**
 * Put it in <head> of the root layout, before anything paints, so the first frame already has the
 * right theme (no light flash for dark-mode users):
 *
 *   <html lang="en" suppressHydrationWarning>
 *     <head><script dangerouslySetInnerHTML={{ __html: themeScript }} /></head>
 *
 * (`suppressHydrationWarning` because the script changes <html>'s class before React hydrates.)
 * It must stay tiny and must never throw: storage can be blocked.
 */
export const themeScript = `(function(){try{var d=document.documentElement,t=null;try{t=localStorage.getItem(${JSON.stringify(
  THEME_STORAGE_KEY,
)})}catch(e){}var r=t==="light"||t==="dark"?t:(matchMedia("(prefers-color-scheme: dark)").matches?"dark":"light");d.classList.toggle("dark",r==="dark");d.style.colorScheme=r}catch(e){}})()`;
