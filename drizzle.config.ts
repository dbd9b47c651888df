import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: "./server/db/schema.ts",
  out: "./drizzle",
  schemaFilter: ["console"],
  migrations: { schema: "console", table: "__drizzle_migrations" },
});
