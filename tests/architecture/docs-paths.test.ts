import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./import-graph";

/**
 * ARCHITECTURE.md walks a newcomer through files by name; a file that moved must not leave the
 * map pointing at nothing. Every `path` in backticks that looks like a project path must exist.
 */
const DOCS = ["ARCHITECTURE.md", "components/README.md", "server/http/README.md", "tests/README.md"];
const PROJECT_PATH = /^(app|components|server|tests|e2e|bench|eslint|drizzle|examples)\/[\w./()[\]-]*$|^(proxy\.ts|next\.config\.ts|README\.md|ARCHITECTURE\.md|package\.json)$/;

function mentionedPaths(markdown: string): string[] {
  const found = new Set<string>();
  for (const match of markdown.matchAll(/`([^`\s]+)`/g)) {
    const candidate = match[1]!.replace(/[:,]$/, "");
    if (!PROJECT_PATH.test(candidate) || candidate.includes("<") || candidate.includes("*")) continue;
    found.add(candidate.replace(/\/$/, ""));
  }
  return [...found];
}

describe("the architecture docs", () => {
  for (const doc of DOCS) {
    it(`${doc} names only paths that exist`, () => {
      const text = readFileSync(path.join(ROOT, doc), "utf8");
      const paths = mentionedPaths(text);
      expect(paths.length).toBeGreaterThan(3);
      expect(paths.filter((p) => !existsSync(path.join(ROOT, p)))).toEqual([]);
    });
  }

  it("reads paths the way the check means", () => {
    expect(mentionedPaths("see `server/http/route.ts` and `npm test`, `app/api/**/route.ts`, `server/<feature>/`")).toEqual([
      "server/http/route.ts",
    ]);
  });
});
