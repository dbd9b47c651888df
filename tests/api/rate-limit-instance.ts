/**
 * One console instance for the rate-limit test: its own process, module instances, settings and
 * control-plane pool, sharing only the PostgreSQL database with the others. Calls GET /api/databases
 * through the real route handler `count` times with the token given and prints, as JSON, each
 * answer's status and Retry-After, this process's pid and its database session's backend pid.
 *
 *   node --conditions=react-server --import tsx tests/api/rate-limit-instance.ts <token> <count>
 */
import { GET } from "../../app/api/databases/route";
import { closeControlPlane, getPool } from "../../server/db/client";

const [token, count] = process.argv.slice(2);
const results: Array<{ status: number; retryAfter: string | null; remaining: string | null }> = [];
for (let i = 0; i < Number(count); i++) {
  const response = await GET(new Request("http://localhost:3000/api/databases", { headers: { authorization: `Bearer ${token}` } }), {
    params: Promise.resolve({}),
  });
  await response.text();
  results.push({ status: response.status, retryAfter: response.headers.get("retry-after"), remaining: response.headers.get("ratelimit-remaining") });
}
const { rows } = await getPool().query<{ pid: number }>("select pg_backend_pid() as pid");
await closeControlPlane();
process.stdout.write(JSON.stringify({ pid: process.pid, backendPid: rows[0]?.pid, results }));
