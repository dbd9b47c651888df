import { connection } from "next/server";
import Link from "next/link";
import { Button } from "@/components/ui/button";

/**
 * Rendered per request rather than prerendered: a prebuilt page carries no CSP nonce, so the
 * browser would block its scripts under the console's content security policy.
 */
export default async function NotFound() {
  await connection();
  return (
    <main className="grid min-h-dvh place-items-center p-6">
      <div className="grid max-w-md gap-3 text-center">
        <p className="text-sm font-medium text-muted-foreground">404</p>
        <h1 className="text-2xl font-semibold">This page does not exist</h1>
        <p className="text-sm text-muted-foreground">The address may be mistyped, or the page may have moved.</p>
        <div>
          <Button asChild>
            <Link href="/">Back to the overview</Link>
          </Button>
        </div>
      </div>
    </main>
  );
}
