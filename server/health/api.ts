import { defineEndpoint } from "../http/endpoint";
import { ZBasicHealth } from "./schemas";

export const getHealth = defineEndpoint({
  method: "GET",
  path: "/api/health",
  summary: "Basic health: the console process is up",
  tags: ["Health"],
  access: "public",
  response: ZBasicHealth,
  rateLimited: false,
});
