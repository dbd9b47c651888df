import {
  ActivityIcon,
  BookOpenIcon,
  CalendarClockIcon,
  DatabaseIcon,
  GaugeIcon,
  HistoryIcon,
  LayoutDashboardIcon,
  ListChecksIcon,
  ScrollTextIcon,
  UsersIcon,
  WebhookIcon,
} from "lucide-react";
import type { Permission } from "@/server/domain/permissions";

export interface NavItem {
  href: string;
  label: string;
  icon: typeof DatabaseIcon;
  /** Hidden from callers without this permission (the server refuses the data anyway). */
  permission?: Permission;
}

export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Overview", icon: LayoutDashboardIcon },
  { href: "/plan", label: "Plan", icon: ListChecksIcon, permission: "migrations:read" },
  { href: "/executions", label: "Executions", icon: HistoryIcon, permission: "migrations:read" },
  { href: "/catalog", label: "Catalog", icon: BookOpenIcon, permission: "migrations:read" },
  { href: "/tenants", label: "Tenants", icon: UsersIcon, permission: "migrations:read" },
  { href: "/databases", label: "Databases", icon: DatabaseIcon, permission: "databases:read" },
  { href: "/schedules", label: "Schedules", icon: CalendarClockIcon, permission: "migrations:manage" },
  // Everyone sees the console and engine health; the per-service details need infrastructure:admin.
  { href: "/health", label: "Health", icon: ActivityIcon, permission: "migrations:read" },
  { href: "/audit", label: "Audit log", icon: ScrollTextIcon, permission: "infrastructure:admin" },
  { href: "/webhooks", label: "Webhooks", icon: WebhookIcon, permission: "infrastructure:admin" },
];

export const METRICS_ITEM: NavItem = { href: "/api/metrics", label: "Metrics", icon: GaugeIcon, permission: "infrastructure:admin" };

/** Whether `pathname` is inside the section `href` (the overview only matches itself). */
export function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}
