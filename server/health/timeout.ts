/** Rejects when `promise` has not settled within `ms`: a health check must answer even when a dependency hangs. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A short, secret-free description of a failed check: the error's code and message, first line only. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return "check failed";
  const code = (error as { code?: unknown }).code;
  const line = error.message.split("\n")[0] ?? "";
  return typeof code === "string" && !line.includes(code) ? `${code}: ${line}` : line;
}
