import { getSettings } from "../config/settings";
import type { BasicHealth } from "./schemas";

export function basicHealth(): BasicHealth {
  const settings = getSettings();
  return {
    status: "healthy",
    timestamp: new Date().toISOString(),
    version: settings.appVersion,
    environment: settings.environment,
  };
}
