import { ChevronDown, ChevronRight } from "lucide-react";
import { useState, type ReactNode } from "react";
import { Button } from "./button";
import { TableCell, TableRow } from "./table";

/** Which rows of a table are open, by key, and a toggle for one of them. */
export function useOpenRows() {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
  return [open, toggle] as const;
}

/** The first cell of an expandable row: the button that shows or hides the row's details. */
export function ExpandCell({ open, label, onToggle }: { open: boolean; label: string; onToggle: () => void }) {
  return (
    <TableCell className="pr-0">
      <Button variant="ghost" size="icon-sm" aria-expanded={open} aria-label={label} onClick={onToggle}>
        {open ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />}
      </Button>
    </TableCell>
  );
}

/** The details under an open row, across every column but the toggle's. */
export function ExpandedRow({ colSpan, children }: { colSpan: number; children: ReactNode }) {
  return (
    <TableRow className="hover:bg-transparent">
      <TableCell />
      <TableCell colSpan={colSpan} className="pt-0">
        {children}
      </TableCell>
    </TableRow>
  );
}
