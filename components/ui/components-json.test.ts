import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// `npx shadcn add <component>` writes into the folders components.json names and imports cn() from
// its `utils` alias: each must exist, or the added component would not compile.
const root = join(import.meta.dirname, "..", "..");
const config = JSON.parse(readFileSync(join(root, "components.json"), "utf8")) as {
  tailwind: { css: string };
  aliases: Record<string, string>;
};
const fromAlias = (alias: string) => join(root, alias.replace(/^@\//, ""));

describe("components.json", () => {
  it("points the shadcn CLI at components/ui, its cn() and the Tailwind stylesheet", () => {
    for (const name of ["components", "ui", "lib", "hooks"]) expect(existsSync(fromAlias(config.aliases[name]!)), name).toBe(true);
    expect(readFileSync(`${fromAlias(config.aliases.utils!)}.ts`, "utf8")).toMatch(/export function cn\(/);
    expect(readFileSync(join(root, config.tailwind.css), "utf8")).toMatch(/@import "tailwindcss"/);
  });
});
