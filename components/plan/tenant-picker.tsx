"use client";

import { X } from "lucide-react";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { useTenants } from "@/components/api/list-tenants";
import { useDebouncedValue } from "@/components/api/use-debounced-value";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FilterSelect } from "@/components/ui/filter-select";
import { SearchInput } from "@/components/ui/search-input";
import { Spinner } from "@/components/ui/spinner";

const ANY = "any";

export interface PickedTenant {
  id: string;
  label: string;
}

/**
 * Chooses tenants for a tenant-scoped plan: search by name or slug, narrow by region, tick the ones
 * to include. Nothing ticked means every active tenant.
 */
export function TenantPicker({
  value,
  onChange,
  regions,
}: {
  value: PickedTenant[];
  onChange: (next: PickedTenant[]) => void;
  regions: string[];
}) {
  const [search, setSearch] = useState("");
  const [region, setRegion] = useState(ANY);
  const deferredSearch = useDebouncedValue(search.trim());
  const listId = useId();
  const tenants = useTenants({
    search: deferredSearch || undefined,
    region: region === ANY ? undefined : region,
    status: "active",
    limit: 100,
    offset: 0,
  });
  const chosen = new Set(value.map((t) => t.id));
  // The list is one tab stop: Tab enters it at the last tenant used, arrow keys move within it.
  const [activeId, setActiveId] = useState<string | null>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const toggle = (t: PickedTenant, on: boolean) =>
    onChange(on ? [...value.filter((v) => v.id !== t.id), t] : value.filter((v) => v.id !== t.id));
  const shown = tenants.data?.items ?? [];
  const tabStop = shown.some((t) => t.id === activeId) ? activeId : (shown[0]?.id ?? null);
  const onListKey = (event: KeyboardEvent<HTMLUListElement>) => {
    const boxes = [...(listRef.current?.querySelectorAll<HTMLButtonElement>('[role="checkbox"]') ?? [])];
    const at = boxes.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0 || boxes.length === 0) return;
    const to =
      event.key === "ArrowDown" ? Math.min(at + 1, boxes.length - 1)
      : event.key === "ArrowUp" ? Math.max(at - 1, 0)
      : event.key === "Home" ? 0
      : event.key === "End" ? boxes.length - 1
      : null;
    if (to === null) return;
    event.preventDefault();
    boxes[to]!.focus();
  };
  const addShown = () => {
    const extra = shown.filter((t) => !chosen.has(t.id)).map((t) => ({ id: t.id, label: t.slug }));
    onChange([...value, ...extra]);
  };

  return (
    <fieldset className="grid gap-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">Tenants</legend>
      <div className="flex flex-wrap items-center gap-1.5" aria-live="polite">
        {value.length === 0 ? (
          <span className="text-sm text-muted-foreground">None ticked: every active tenant is in scope.</span>
        ) : (
          <>
            <span className="text-sm text-muted-foreground">{value.length} chosen:</span>
            {value.slice(0, 30).map((t) => (
              <span key={t.id} className="inline-flex items-center gap-1 rounded-md border bg-muted px-1.5 py-0.5 text-xs">
                {t.label}
                <button
                  type="button"
                  className="rounded-sm text-muted-foreground hover:text-foreground"
                  aria-label={`Remove ${t.label}`}
                  onClick={() => toggle(t, false)}
                >
                  <X className="size-3" aria-hidden />
                </button>
              </span>
            ))}
            {value.length > 30 ? <span className="text-xs text-muted-foreground">and {value.length - 30} more</span> : null}
            <Button variant="link" size="sm" onClick={() => onChange([])}>
              Clear
            </Button>
          </>
        )}
      </div>
      <div className="grid gap-2 sm:grid-cols-[1fr_12rem]">
        <SearchInput
          placeholder="Search tenants by name or slug"
          aria-label="Search tenants"
          aria-controls={listId}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <FilterSelect
          label="Tenants of region"
          value={region}
          onChange={setRegion}
          all={{ value: ANY, label: "Any region" }}
          options={regions.map((r) => ({ value: r, label: r }))}
        />
      </div>
      <div className="flex items-center justify-between gap-2 text-xs text-muted-foreground">
        <span>
          {tenants.isPending ? (
            <span className="inline-flex items-center gap-1.5">
              <Spinner className="size-3" /> Loading tenants…
            </span>
          ) : tenants.isError ? (
            `Tenants could not be loaded: ${tenants.error.message}`
          ) : (
            `${tenants.data.total} active tenant${tenants.data.total === 1 ? "" : "s"} match${tenants.data.total === 1 ? "es" : ""}`
          )}
        </span>
        {shown.length ? (
          <Button variant="outline" size="sm" onClick={addShown}>
            Tick all {shown.length} shown
          </Button>
        ) : null}
      </div>
      <p id={`${listId}-keys`} className="sr-only">
        Arrow keys move between tenants, Space ticks one.
      </p>
      <ul
        id={listId}
        ref={listRef}
        onKeyDown={onListKey}
        className="grid max-h-56 gap-0.5 overflow-y-auto pr-1"
        aria-label="Matching tenants"
        aria-describedby={`${listId}-keys`}
      >
        {shown.map((t) => {
          const id = `${listId}-${t.id}`;
          return (
            <li key={t.id} className="flex items-center gap-2 rounded px-1.5 py-1 hover:bg-accent">
              <Checkbox
                id={id}
                tabIndex={t.id === tabStop ? 0 : -1}
                onFocus={() => setActiveId(t.id)}
                checked={chosen.has(t.id)}
                onCheckedChange={(on) => toggle({ id: t.id, label: t.slug }, on === true)}
              />
              <label htmlFor={id} className="flex flex-1 cursor-pointer items-baseline justify-between gap-2 text-sm">
                <span>
                  {t.name} <span className="font-mono text-xs text-muted-foreground">{t.slug}</span>
                </span>
                <span className="text-xs text-muted-foreground">{t.region}</span>
              </label>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
