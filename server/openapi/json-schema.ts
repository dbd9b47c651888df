import { z } from "zod";

export type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as a JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1), from zod's own
 * converter. `input` describes what a caller may send (defaults optional, coercions as their
 * source type); `output` what the console answers. Schemas zod names as definitions (recursive
 * ones) are moved into `components` under `prefix`, since a `#/$defs/...` reference inside an
 * OpenAPI document would resolve against the document, not the schema.
 */
export function toJsonSchema(
  schema: z.ZodType,
  io: "input" | "output",
  components: Record<string, JsonSchema>,
  prefix: string,
): JsonSchema {
  const { $schema: _dialect, $defs, ...root } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    cycles: "ref",
    reused: "inline",
  }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
  if (!$defs) return root;
  const rename = (name: string) => `${prefix}_${name.replace(/[^A-Za-z0-9_.-]/g, "_")}`;
  const rewrite = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (typeof node !== "object" || node === null) return node;
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) =>
        key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/")
          ? [key, `#/components/schemas/${rename(value.slice("#/$defs/".length))}`]
          : [key, rewrite(value)],
      ),
    );
  };
  for (const [name, def] of Object.entries($defs)) components[rename(name)] = rewrite(def) as JsonSchema;
  return rewrite(root) as JsonSchema;
}

/** The properties of an object schema as OpenAPI parameters (path or query). */
export function parametersOf(objectSchema: JsonSchema, location: "path" | "query") {
  const properties = (objectSchema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((objectSchema.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...schema } = property;
    return {
      name,
      in: location,
      required: location === "path" || required.has(name),
      ...(typeof description === "string" ? { description } : {}),
      schema,
    };
  });
}
