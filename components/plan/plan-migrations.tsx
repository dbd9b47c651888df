import Link from "next/link";
import type { Plan } from "@/components/api/get-plan";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";

/** Every migration pending somewhere in the plan, in the order they run. */
export function PlanMigrations({ plan }: { plan: Plan }) {
  if (plan.migrations.length === 0) return null;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Migrations in this plan</CardTitle>
        <CardDescription>In catalog order; each target runs the ones it lacks.</CardDescription>
      </CardHeader>
      <CardContent>
        <ol className="grid gap-1.5 text-sm sm:grid-cols-2 xl:grid-cols-3">
          {plan.migrations.map((m) => (
            <li key={m.id} className="flex flex-wrap items-center gap-1.5">
              <Link href={`/catalog?file=${encodeURIComponent(m.id)}`} className="font-mono text-[13px] hover:underline">
                {m.id}
              </Link>
              {!m.transactional ? <Badge variant="info">no transaction</Badge> : null}
              {!m.has_down ? <Badge variant="warning" title="No down part: a rollback refuses it">irreversible</Badge> : null}
              {m.warnings.length ? <Badge variant="warning">{m.warnings.length} warning{m.warnings.length === 1 ? "" : "s"}</Badge> : null}
            </li>
          ))}
        </ol>
      </CardContent>
    </Card>
  );
}
