import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The lint rule behind components/README.md's one data layer: a component that fetches, runs a
// server action, touches the query cache, or imports app/ or the control-plane tables fails
// `npm run lint` with a message saying where the code belongs.
const eslint = new ESLint({ cwd: process.cwd() });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("components reach data only through components/api", () => {
  it("refuses fetching, server actions, the query cache, app/ and the tables in a component", async () => {
    const messages = await restricted(
      "components/databases/example-view.tsx",
      [
        'import { useQuery, useQueryClient } from "@tanstack/react-query";',
        'import { fetchJson } from "@/components/api/fetch-json";',
        'import { createConnectionAction } from "@/server/actions/database-actions";',
        'import { connections } from "@/server/db/schema";',
        'import Layout from "../../app/(console)/layout";',
        "export const used = [useQuery, useQueryClient, fetchJson, createConnectionAction, connections, Layout];",
      ].join("\n"),
    );
    expect(messages).toHaveLength(6);
    expect(messages.filter((m) => m.includes("a hook in components/api/"))).toHaveLength(3);
    expect(messages.filter((m) => m.includes("mutation hook in components/api/"))).toHaveLength(1);
    expect(messages.some((m) => m.includes("control-plane tables"))).toBe(true);
    expect(messages.some((m) => m.includes("never import from app/"))).toBe(true);
  });

  it("lets components/api do all of that, and components use its hooks, ApiError and types", async () => {
    expect(
      await restricted(
        "components/api/example-operation.ts",
        [
          'import { useMutation, useQueryClient } from "@tanstack/react-query";',
          'import { createConnectionAction } from "@/server/actions/database-actions";',
          'import { fetchJson } from "./fetch-json";',
          "export const used = [useMutation, useQueryClient, createConnectionAction, fetchJson];",
        ].join("\n"),
      ),
    ).toEqual([]);
    expect(
      await restricted(
        "components/databases/example-view.tsx",
        [
          'import type { UseQueryResult } from "@tanstack/react-query";',
          'import { useConnections } from "@/components/api/list-connections";',
          'import { ApiError } from "@/components/api/fetch-json";',
          'import type { Tier } from "@/server/domain/fleet";',
          "export const used = [useConnections, ApiError];",
          "export type Used = [UseQueryResult, Tier];",
        ].join("\n"),
      ),
    ).toEqual([]);
  });
});
