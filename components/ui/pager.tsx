import { Button } from "./button";

interface PageProps {
  total: number;
  offset: number;
  pageSize: number;
  onOffset: (offset: number) => void;
}

/** "12 in total" when everything fits on one page; otherwise "26–50 of 120" with Previous and Next. */
export function Pager(props: PageProps) {
  const { total, offset, pageSize } = props;
  if (total <= pageSize) return <p className="mt-3 text-sm text-muted-foreground">{total} in total</p>;
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center justify-between gap-2 text-sm text-muted-foreground">
      <span>
        {offset + 1}–{Math.min(offset + pageSize, total)} of {total}
      </span>
      <PageButtons {...props} />
    </nav>
  );
}

/** The buttons that step one page back and forward (named Previous and Next unless told otherwise). */
export function PageButtons({ total, offset, pageSize, onOffset, previous = "Previous", next = "Next" }: PageProps & { previous?: string; next?: string }) {
  return (
    <div className="flex gap-2">
      <Button variant="outline" size="sm" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
        {previous}
      </Button>
      <Button variant="outline" size="sm" disabled={offset + pageSize >= total} onClick={() => onOffset(offset + pageSize)}>
        {next}
      </Button>
    </div>
  );
}
