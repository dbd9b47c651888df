import path from "node:path";

/** The example catalog in the repository (examples/migrations), which engine and execution tests run. */
export const EXAMPLES_DIR = path.resolve("examples/migrations");
