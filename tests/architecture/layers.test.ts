import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";
import { elementOf, layerViolation } from "../../eslint/layers.mjs";
import { cycles, importGraph, productFiles, ROOT } from "./import-graph";

describe("the import graph", () => {
  const graph = importGraph();

  it("has no cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("finds a cycle when there is one (the detector itself)", () => {
    const looped = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["a.ts"]],
    ]);
    expect(cycles(looped)).toEqual([["a.ts", "b.ts", "c.ts"]]);
  });

  it("runs only downward through the layers: no file imports from a higher layer", () => {
    const violations = [...graph].flatMap(([from, targets]) =>
      targets.map((to) => layerViolation(from, to, { typeOnly: true })).filter((v): v is string => v !== null),
    );
    expect(violations).toEqual([]);
  });

  it("places every product file in a layer", () => {
    expect(productFiles().filter((f) => !elementOf(f))).toEqual([]);
  });

  it("keeps the browser side off the table file and off app/", () => {
    const components = [...graph].filter(([from]) => from.startsWith("components/"));
    const bad = components.flatMap(([from, targets]) =>
      targets.filter((to) => to.startsWith("server/db/") || to.startsWith("app/")).map((to) => `${from} → ${to}`),
    );
    expect(bad).toEqual([]);
  });
});

describe("npm run lint", () => {
  const eslint = new ESLint({ cwd: ROOT });
  const layerMessages = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${filePath}` });
    return result!.messages.filter((m) => m.ruleId === "console/layers").map((m) => m.message);
  };

  it("fails on an import from a higher layer, naming the rule and both files", async () => {
    const messages = await layerMessages(
      "server/fleet/wrong-way.ts",
      'import { resolveConnectionOrThrow } from "../databases/service";\nexport const x = resolveConnectionOrThrow;\n',
    );
    expect(messages).toEqual([
      "console/layers: server/fleet/wrong-way.ts (layer adapters) may not import server/databases/service.ts (layer registry and engine): imports run downward only",
    ]);
  });

  it("fails on a component importing the table file or a page's module", async () => {
    const messages = await layerMessages(
      "components/wrong-way.tsx",
      'import type { connections } from "@/server/db/schema";\nimport { metadata } from "@/app/layout";\nexport type C = typeof connections;\nexport const m = metadata;\n',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain("the browser side never imports the table file");
    expect(messages[1]).toContain("imports run downward only");
  });

  it("fails on the engine reaching into the registry", async () => {
    const messages = await layerMessages(
      "server/migrations/engine/wrong-way.ts",
      'import { listTenantsForPlan } from "../../tenants/service";\nexport const x = listTenantsForPlan;\n',
    );
    expect(messages).toEqual([
      "console/layers: server/migrations/engine/wrong-way.ts may not import server/tenants/service.ts: the engine runs one target handed to it",
    ]);
  });

  it("accepts imports that run down", async () => {
    const messages = await layerMessages(
      "server/migrations/plans/right-way.ts",
      'import { getSettings } from "../../config/settings";\nimport { listTenantsForPlan } from "../../tenants/service";\nexport const x = [getSettings, listTenantsForPlan];\n',
    );
    expect(messages).toEqual([]);
  });
});
