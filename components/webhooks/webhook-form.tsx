"use client";

import { KeyRound } from "lucide-react";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { useCreateWebhook, type WebhookCreated } from "@/components/api/create-webhook";
import { ApiError } from "@/components/api/fetch-json";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Spinner } from "@/components/ui/spinner";
import { WEBHOOK_EVENT_LABELS, WEBHOOK_EVENTS, type WebhookEvent, type WebhookFormat } from "@/server/domain/webhooks";

const DEFAULT_EVENTS: WebhookEvent[] = ["execution.approval_needed", "execution.failed"];

/**
 * Registers an endpoint: name, URL, the events it wants, the payload format and, optionally, the
 * signing secret. Without one the console generates a secret and shows it here once.
 */
export function WebhookForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const create = useCreateWebhook();
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<WebhookEvent[]>(DEFAULT_EVENTS);
  const [format, setFormat] = useState<WebhookFormat>("standard");
  const [secret, setSecret] = useState("");
  const [touched, setTouched] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [created, setCreated] = useState<WebhookCreated | null>(null);

  if (created?.secret) return <GeneratedSecret webhook={created} onDone={onDone} />;

  const nameError = touched && !name.trim() ? "Give the webhook a name." : serverErrors.name;
  const urlError = touched && !url.trim() ? "Give the URL deliveries go to." : serverErrors.url;
  const eventsError = touched && events.length === 0 ? "Choose at least one event." : (serverErrors.events ?? serverErrors["events.0"]);

  const toggle = (event: WebhookEvent, on: boolean) =>
    setEvents((current) => (on ? WEBHOOK_EVENTS.filter((e) => e === event || current.includes(e)) : current.filter((e) => e !== event)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!name.trim() || !url.trim() || events.length === 0) return;
    try {
      const saved = await create.mutateAsync({ name: name.trim(), url: url.trim(), events, format, ...(secret ? { secret } : {}) });
      toast.success(`Webhook “${saved.name}” added`);
      if (saved.secret) setCreated(saved);
      else onDone();
    } catch (error) {
      if (error instanceof ApiError) {
        setServerErrors(error.fieldErrors);
        toast.error("The webhook was not added", { description: error.body.message });
      } else toast.error("The webhook was not added");
    }
  };

  return (
    <form onSubmit={submit} className="grid gap-5" aria-label="New webhook">
      <Field label="Name" required error={nameError}>
        {(control) => <Input {...control} value={name} onChange={(e) => setName(e.target.value)} placeholder="ops-alerts" autoFocus />}
      </Field>
      <Field label="URL" required error={urlError} hint="http(s) on a host ALLOWED_WEBHOOK_HOSTS lists; no user:password@">
        {(control) => <Input {...control} type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://hooks.example.com/console" />}
      </Field>
      <fieldset className="grid gap-2" aria-describedby={eventsError ? "webhook-events-error" : undefined}>
        <legend className="mb-1 text-sm font-medium">Events</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {WEBHOOK_EVENTS.map((event) => (
            <div key={event} className="flex items-center gap-2">
              <Checkbox id={`webhook-event-${event}`} checked={events.includes(event)} onCheckedChange={(v) => toggle(event, v === true)} />
              <Label htmlFor={`webhook-event-${event}`}>{WEBHOOK_EVENT_LABELS[event]}</Label>
            </div>
          ))}
        </div>
        {eventsError ? (
          <p id="webhook-events-error" className="text-xs text-destructive">
            {eventsError}
          </p>
        ) : null}
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Payload" error={serverErrors.format} hint="Slack: an incoming-webhook message">
          {(control) => (
            <Select value={format} onValueChange={(v) => setFormat(v as WebhookFormat)}>
              <SelectTrigger {...control}>
                <SelectValue />
              </SelectTrigger>
              <SelectContent>
                <SelectItem value="standard">Standard JSON</SelectItem>
                <SelectItem value="slack">Slack-compatible</SelectItem>
              </SelectContent>
            </Select>
          )}
        </Field>
        <Field label="Signing secret" error={serverErrors.secret} hint="Leave empty and the console generates one">
          {(control) => <Input {...control} type="password" autoComplete="new-password" value={secret} onChange={(e) => setSecret(e.target.value)} />}
        </Field>
      </div>
      <div className="flex justify-end gap-2">
        <Button variant="outline" type="button" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending}>
          {create.isPending ? <Spinner className="text-primary-foreground" /> : null}
          Add webhook
        </Button>
      </div>
    </form>
  );
}

function GeneratedSecret({ webhook, onDone }: { webhook: WebhookCreated; onDone: () => void }) {
  return (
    <div className="grid gap-4" role="status">
      <p className="flex items-center gap-2 text-sm font-medium">
        <KeyRound className="size-4 text-muted-foreground" aria-hidden />
        The signing secret of {webhook.name}
      </p>
      <div className="flex items-center gap-2 rounded-md border bg-muted/40 p-3">
        <code className="min-w-0 flex-1 break-all font-mono text-sm" data-testid="webhook-secret">
          {webhook.secret}
        </code>
        <CopyButton value={webhook.secret!} label="Copy secret" />
      </div>
      <p className="text-sm text-muted-foreground">
        Give it to the receiver to verify each delivery&apos;s X-Console-Signature. It is stored encrypted and will not be shown again.
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
