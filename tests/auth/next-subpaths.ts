import { register } from "node:module";

/**
 * next-auth's ESM build imports `next/server` without a file extension; Next has no "exports" map,
 * so Node's own resolver (which vitest uses for packages in node_modules) cannot find it, while
 * Next's bundler can. This resolve hook adds the extension for Next's entry points, for the tests
 * that load Auth.js. Import it before anything that imports next-auth.
 */
const hook = `
export async function resolve(specifier, context, next) {
  if (/^next\\/(server|headers|navigation)$/.test(specifier)) return next(specifier + ".js", context);
  return next(specifier, context);
}`;

register(`data:text/javascript,${encodeURIComponent(hook)}`);
