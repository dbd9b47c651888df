"use client";

import { Hourglass } from "lucide-react";
import { useEffect, useState } from "react";
import { useRateLimitWait, type RateLimitWait } from "@/components/api/rate-limit-wait";

/**
 * The quiet side of a 429: while requests wait out the server's Retry-After, a small status line
 * says so and counts down; nothing is shown as an error, and it goes away once they went through.
 */
export function RateLimitNotice() {
  const wait = useRateLimitWait();
  return (
    <div role="status" aria-live="polite" className="pointer-events-none fixed bottom-4 left-4 z-50 lg:left-64" data-testid="rate-limit-notice">
      {wait ? <Waiting wait={wait} /> : null}
    </div>
  );
}

function Waiting({ wait }: { wait: RateLimitWait }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(1, Math.ceil((wait.until - now) / 1000));
  return (
    <p className="flex items-center gap-2 rounded-md border bg-card px-3 py-2 text-xs text-muted-foreground shadow-sm">
      <Hourglass className="size-3.5" aria-hidden />
      The server asked the console to slow down: trying again in {seconds} s
      {wait.requests > 1 ? ` (${wait.requests} requests)` : ""}.
    </p>
  );
}
