import { OverviewView } from "@/components/overview/overview-view";

export const metadata = { title: "Overview" };

/** Overview: the fleet at a glance. Each panel loads its own data and needs only its own permission. */
export default function OverviewPage() {
  return <OverviewView />;
}
