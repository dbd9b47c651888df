"use client";

import type { CSSProperties } from "react";
import { Toaster as Sonner, type ToasterProps } from "sonner";
import { useTheme } from "@/components/theme/theme-provider";

// Sonner reads these variables for its default and rich-colour toasts; pointing them at our tokens
// keeps toasts in the palette (and its contrast) in both themes.
const paletteVariables = {
  "--normal-bg": "var(--popover)",
  "--normal-text": "var(--popover-foreground)",
  "--normal-border": "var(--border)",
  "--success-bg": "var(--success-soft)",
  "--success-text": "var(--success-soft-foreground)",
  "--success-border": "var(--success-border)",
  "--info-bg": "var(--info-soft)",
  "--info-text": "var(--info-soft-foreground)",
  "--info-border": "var(--info-border)",
  "--warning-bg": "var(--warning-soft)",
  "--warning-text": "var(--warning-soft-foreground)",
  "--warning-border": "var(--warning-border)",
  "--error-bg": "var(--destructive-soft)",
  "--error-text": "var(--destructive-soft-foreground)",
  "--error-border": "var(--destructive-border)",
  "--border-radius": "var(--radius)",
} as CSSProperties;

/**
 * Mount once in the root layout, inside ThemeProvider. Raise toasts with `toast.success(…)`,
 * `toast.error(…)` from "sonner".
 */
export function Toaster(props: ToasterProps) {
  const { resolvedTheme } = useTheme();
  return (
    <Sonner
      theme={resolvedTheme}
      position="bottom-right"
      richColors
      closeButton
      style={paletteVariables}
      toastOptions={{
        classNames: {
          toast: "font-sans text-sm shadow-lg",
          description: "opacity-90",
        },
      }}
      {...props}
    />
  );
}
