import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";
import consolePlugin from "./eslint/console-plugin.mjs";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      ".next/**",
      ".data/**",
      "node_modules/**",
      "next-env.d.ts",
      "test-results/**",
      "playwright-report/**",
      "drizzle/meta/**",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    // One client data layer (components/README.md): components read and write through the hooks in
    // components/api, which alone fetch, call server actions and touch the query cache.
    files: ["components/**/*.{ts,tsx}"],
    ignores: ["components/api/**", "components/providers/query-provider.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@tanstack/react-query",
              importNames: ["useQuery", "useQueries", "useInfiniteQuery", "useSuspenseQuery", "useMutation", "useQueryClient", "queryOptions", "infiniteQueryOptions"],
              message: "Components read and write through a hook in components/api/ (one file per operation).",
            },
            {
              name: "@/components/api/fetch-json",
              importNames: ["fetchJson"],
              message: "Components read and write through a hook in components/api/ (one file per operation).",
            },
          ],
          patterns: [
            { regex: "^(@/|(\\.\\./)+)app/", message: "Components never import from app/: pages use components, not the other way round." },
            { regex: "^(@/|(\\.\\./)+)server/db/", message: "Components never import the control-plane tables: use the words in server/domain." },
            { regex: "^(@/|(\\.\\./)+)server/(actions/.+|.+/actions)$", message: "Components call server actions through a mutation hook in components/api/." },
          ],
        },
      ],
    },
  },
  {
    // The layers (eslint/layers.mjs, ARCHITECTURE.md): imports run downward only.
    files: ["server/**/*.ts", "app/**/*.{ts,tsx}", "components/**/*.{ts,tsx}", "proxy.ts", "next.config.ts"],
    ignores: ["**/*.test.ts"],
    plugins: { console: consolePlugin },
    rules: { "console/layers": "error" },
  },
  {
    // Command-line entry points and benchmarks talk to a terminal.
    files: ["bench/**", "scripts/**", "**/*-cli.ts", "server/runtime/**", "e2e/support/**", "tests/support/**"],
    rules: { "no-console": "off" },
  },
];

export default config;
