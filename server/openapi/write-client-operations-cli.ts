/** `npx tsx server/openapi/write-client-operations-cli.ts`: regenerates the typed client's operation table. */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { CLIENT_OPERATIONS_FILE, renderClientOperations } from "./client-operations";
import { endpointsOf } from "./endpoints";

const target = path.resolve(process.cwd(), CLIENT_OPERATIONS_FILE);
writeFileSync(target, renderClientOperations(endpointsOf()));
console.log(`wrote ${CLIENT_OPERATIONS_FILE}`);
