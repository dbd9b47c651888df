import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { TableHead } from "./table";
import { cn } from "./cn";

export type SortOrder = "asc" | "desc";

/**
 * A column header that sorts the list: a button inside the header cell, which carries `aria-sort`
 * while the list is sorted by it. Pressing it sorts ascending, then toggles.
 */
export function SortableHead({
  label,
  active,
  order,
  onSort,
  className,
}: {
  label: string;
  active: boolean;
  order: SortOrder;
  onSort: (order: SortOrder) => void;
  className?: string;
}) {
  const Icon = !active ? ArrowUpDown : order === "asc" ? ArrowUp : ArrowDown;
  return (
    <TableHead aria-sort={active ? (order === "asc" ? "ascending" : "descending") : undefined} className={className}>
      <button
        type="button"
        className={cn(
          "-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase outline-none hover:text-foreground",
          "focus-visible:ring-2 focus-visible:ring-ring",
          active && "text-foreground",
        )}
        onClick={() => onSort(active && order === "asc" ? "desc" : "asc")}
      >
        {label}
        <Icon className="size-3.5" aria-hidden />
        <span className="sr-only">{active ? `, sorted ${order === "asc" ? "ascending" : "descending"}` : ", sort"}</span>
      </button>
    </TableHead>
  );
}
