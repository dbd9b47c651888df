import { z } from "zod";
import { defineEndpoint } from "../contracts/endpoint";

export const ZOpenApiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});

export const getOpenApiDocument = defineEndpoint({
  method: "GET",
  path: "/api/openapi.json",
  summary: "This document: the REST API as OpenAPI 3.1",
  description: "Built from the same zod schemas the routes validate with. Interactive documentation at /swagger outside production.",
  tags: ["API"],
  access: "public",
  response: ZOpenApiDocument,
});
