import { describe, expect, it } from "vitest";
import { THEME_STORAGE_KEY, themeScript } from "./theme-script";

/** Runs the inline script against a stub page and returns what it did to <html>. */
function runScript({ stored, osDark, storageBlocked = false }: { stored?: string; osDark: boolean; storageBlocked?: boolean }) {
  const classes = new Set<string>();
  const root = {
    classList: { toggle: (name: string, on: boolean) => (on ? classes.add(name) : classes.delete(name)) },
    style: { colorScheme: "" },
  };
  const localStorage = {
    getItem: (key: string) => {
      if (storageBlocked) throw new Error("SecurityError");
      return key === THEME_STORAGE_KEY ? (stored ?? null) : null;
    },
  };
  const matchMedia = (query: string) => ({ matches: query === "(prefers-color-scheme: dark)" && osDark });
  new Function("document", "localStorage", "matchMedia", themeScript)({ documentElement: root }, localStorage, matchMedia);
  return { dark: classes.has("dark"), colorScheme: root.style.colorScheme };
}

describe("themeScript", () => {
  it("applies the saved choice before the page paints, whatever the OS prefers", () => {
    expect(runScript({ stored: "dark", osDark: false })).toEqual({ dark: true, colorScheme: "dark" });
    expect(runScript({ stored: "light", osDark: true })).toEqual({ dark: false, colorScheme: "light" });
  });

  it("follows the OS when nothing valid is saved", () => {
    expect(runScript({ osDark: true })).toEqual({ dark: true, colorScheme: "dark" });
    expect(runScript({ stored: "purple", osDark: false })).toEqual({ dark: false, colorScheme: "light" });
  });

  it("still follows the OS when storage is blocked", () => {
    expect(runScript({ stored: "light", osDark: true, storageBlocked: true })).toEqual({ dark: true, colorScheme: "dark" });
  });
});
