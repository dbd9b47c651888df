import { existsSync } from "node:fs";
import path from "node:path";
import { layerViolation } from "./layers.mjs";

/**
 * The console's own lint rules. `console/layers`: every import of a project file must respect the
 * layers in eslint/layers.mjs (see ARCHITECTURE.md); the message names the two files and why.
 */

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** A module specifier as a repository-relative path (no extension), or null for packages. */
function resolveSpecifier(specifier, importer) {
  let absolute;
  if (specifier.startsWith("@/")) absolute = path.join(ROOT, specifier.slice(2));
  else if (specifier.startsWith(".")) absolute = path.resolve(path.dirname(importer), specifier);
  else return null;
  for (const candidate of [absolute, `${absolute}.ts`, `${absolute}.tsx`, path.join(absolute, "index.ts")]) {
    if (existsSync(candidate) && candidate !== absolute) return path.relative(ROOT, candidate);
  }
  return path.relative(ROOT, absolute);
}

function isTypeOnly(node) {
  if (node.importKind === "type" || node.exportKind === "type") return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === "type" || s.exportKind === "type");
}

const layers = {
  meta: {
    type: "problem",
    docs: { description: "imports run downward through the console's layers (eslint/layers.mjs, ARCHITECTURE.md)" },
    schema: [],
    messages: { layer: "console/layers: {{reason}}" },
  },
  create(context) {
    const importer = context.filename;
    const from = path.relative(ROOT, importer);
    if (from.startsWith("..")) return {};
    const check = (node) => {
      const specifier = node.source?.value;
      if (typeof specifier !== "string") return;
      const to = resolveSpecifier(specifier, importer);
      if (!to) return;
      const reason = layerViolation(from, to, { typeOnly: isTypeOnly(node) });
      if (reason) context.report({ node: node.source, messageId: "layer", data: { reason } });
    };
    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: (node) => {
        if (node.source.type === "Literal") check({ source: node.source });
      },
    };
  },
};

const plugin = { meta: { name: "console" }, rules: { layers } };
export default plugin;
