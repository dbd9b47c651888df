"use client";

import { createContext, use, useCallback, useEffect, useMemo, useSyncExternalStore, type ReactNode } from "react";
import { isTheme, THEME_STORAGE_KEY, type ResolvedTheme, type Theme } from "./theme-script";

interface ThemeContextValue {
  /** What the operator chose; "system" follows the OS. */
  theme: Theme;
  /** What is on screen. */
  resolvedTheme: ResolvedTheme;
  setTheme: (theme: Theme) => void;
}

const ThemeContext = createContext<ThemeContextValue | null>(null);

const DARK_QUERY = "(prefers-color-scheme: dark)";
const localListeners = new Set<() => void>();
// Used when storage is blocked, so a choice still applies to this page even if it cannot be kept.
let unsavedTheme: Theme = "system";

function readStoredTheme(): Theme {
  try {
    const value = window.localStorage.getItem(THEME_STORAGE_KEY);
    return isTheme(value) ? value : "system";
  } catch {
    return unsavedTheme;
  }
}

// The stored choice is an external store: this tab's setTheme and other tabs' `storage` events both
// notify subscribers, so every open console window switches together.
function subscribeToStoredTheme(onChange: () => void) {
  localListeners.add(onChange);
  const onStorage = (event: StorageEvent) => {
    if (event.key === THEME_STORAGE_KEY) onChange();
  };
  window.addEventListener("storage", onStorage);
  return () => {
    localListeners.delete(onChange);
    window.removeEventListener("storage", onStorage);
  };
}

function subscribeToSystemTheme(onChange: () => void) {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

const systemPrefersDark = () => window.matchMedia(DARK_QUERY).matches;

function applyTheme(resolved: ResolvedTheme) {
  const root = document.documentElement;
  if (root.classList.contains("dark") === (resolved === "dark")) return;
  // Without this every colour transition on the page would animate at once while switching.
  const pause = document.createElement("style");
  pause.textContent = "*,*::before,*::after{transition:none!important}";
  document.head.appendChild(pause);
  root.classList.toggle("dark", resolved === "dark");
  root.style.colorScheme = resolved;
  // Force a style pass with transitions off before they come back on.
  window.getComputedStyle(document.body).getPropertyValue("opacity");
  requestAnimationFrame(() => pause.remove());
}

/**
 * Owns the `dark` class on <html> after hydration (the inline `themeScript` sets it before). The
 * server cannot know the theme: while hydrating, `theme` reads "system" and `resolvedTheme` "light",
 * and nothing is applied, so the script's class stays. Show the current theme through CSS (`dark:`
 * variants) or after mount, never as server-rendered text.
 */
export function ThemeProvider({ children }: { children: ReactNode }) {
  const stored = useSyncExternalStore(subscribeToStoredTheme, readStoredTheme, () => null);
  const prefersDark = useSyncExternalStore(subscribeToSystemTheme, systemPrefersDark, () => null);
  const known = stored !== null && prefersDark !== null;
  const theme: Theme = stored ?? "system";
  const resolvedTheme: ResolvedTheme = theme === "system" ? (prefersDark ? "dark" : "light") : theme;

  useEffect(() => {
    if (known) applyTheme(resolvedTheme);
  }, [known, resolvedTheme]);

  const setTheme = useCallback((next: Theme) => {
    unsavedTheme = next;
    try {
      if (next === "system") window.localStorage.removeItem(THEME_STORAGE_KEY);
      else window.localStorage.setItem(THEME_STORAGE_KEY, next);
    } catch {
      // Storage blocked: `unsavedTheme` carries the choice for this page.
    }
    for (const listener of localListeners) listener();
  }, []);

  const value = useMemo(() => ({ theme, resolvedTheme, setTheme }), [theme, resolvedTheme, setTheme]);
  return <ThemeContext value={value}>{children}</ThemeContext>;
}

export function useTheme(): ThemeContextValue {
  const value = use(ThemeContext);
  if (!value) throw new Error("useTheme must be used inside <ThemeProvider>");
  return value;
}
