import { HealthView } from "@/components/health/health-view";

export const metadata = { title: "Health" };

/** Health. Each section calls its own endpoint, which checks its own permission. */
export default function HealthPage() {
  return <HealthView />;
}
