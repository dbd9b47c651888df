/** `npm run db:migrate`: apply the control-plane migrations in drizzle/ to DATABASE_URL. */
import { existsSync } from "node:fs";
import { getSettings, SettingsError } from "../config/settings";
import { migrateControlPlane } from "./migrate";

if (existsSync(".env")) process.loadEnvFile(".env");

try {
  const { databaseUrl } = getSettings();
  if (!databaseUrl) {
    console.error("DATABASE_URL is not set. The embedded default migrates itself on `npm start`.");
    process.exit(2);
  }
  const applied = await migrateControlPlane(databaseUrl, undefined, (warning) => console.warn(`warning: ${warning}`));
  console.log(applied ? `applied ${applied} migration(s)` : "control-plane schema is up to date");
} catch (error) {
  if (error instanceof SettingsError) console.error(error.message);
  else {
    // drizzle wraps the database error; its cause holds PostgreSQL's message.
    const cause = (error as { cause?: { message?: string } }).cause;
    console.error(`migration failed: ${cause?.message ?? (error as Error).message.split("\n")[0]}`);
  }
  process.exit(1);
}
