import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { waitFor } from "../support/test-env";

/**
 * A webhook receiver on localhost: a real HTTP server that records every request it gets and
 * answers with the statuses the test scripts (200 once the script is used up).
 */

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: Received[];
  /** The next answers, in order (e.g. [500] fails the next request once). */
  answer(statuses: number[]): void;
  /** Resolves once `n` requests to `path` arrived; returns them. */
  received(path: string, n: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: Received[] = [];
  const script: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      requests.push({ path: req.url ?? "/", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = script.shift() ?? 200;
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 200 ? "ok" : `receiver says ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const to = (path: string) => requests.filter((r) => r.path === path);
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    answer: (statuses) => script.push(...statuses),
    received: (path, n, timeoutMs = 30_000) =>
      waitFor(`${n} request(s) to ${path}`, async () => (to(path).length >= n ? to(path) : undefined), timeoutMs, 50),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
