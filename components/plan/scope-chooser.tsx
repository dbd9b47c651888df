"use client";

import { Eye } from "lucide-react";
import { useState, type FormEvent } from "react";
import { scopeProblem, type ScopeRequest } from "@/components/api/scope-request";
import { Button } from "@/components/ui/button";
import { Spinner } from "@/components/ui/spinner";
import { draftFromScope, ScopeFields, scopeFromDraft } from "./scope-fields";

/**
 * The Plan page's scope form. Submitting shows the plan (the page puts the scope in the URL, so a
 * plan can be shared and survives a reload).
 */
export function ScopeChooser({
  initial,
  tenantLabels,
  busy,
  onSubmit,
}: {
  initial: ScopeRequest | null;
  tenantLabels: Map<string, string>;
  busy: boolean;
  onSubmit: (scope: ScopeRequest) => void;
}) {
  const [draft, setDraft] = useState(() => draftFromScope(initial, tenantLabels));
  const [touched, setTouched] = useState(false);
  const request = scopeFromDraft(draft);
  const problem = scopeProblem(request);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (!problem) onSubmit(request);
  };

  return (
    <form onSubmit={submit} className="grid gap-4" aria-label="Plan scope">
      <ScopeFields draft={draft} onChange={setDraft} error={touched ? problem : null} />
      <div>
        <Button type="submit" disabled={busy}>
          {busy ? <Spinner className="text-primary-foreground" /> : <Eye aria-hidden />}
          Preview plan
        </Button>
      </div>
    </form>
  );
}
