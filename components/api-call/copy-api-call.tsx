"use client";

import { Terminal } from "lucide-react";
import { useId, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { Dialog, DialogContent, DialogDescription, DialogHeader, DialogTitle, DialogTrigger } from "@/components/ui/dialog";
import { clientCall, curlCommand, type ApiCall } from "./api-call";

export interface NamedApiCall {
  /** What the call does, as the page's button says it ("Execute this plan"). */
  title: string;
  call: ApiCall;
}

/** The console's address as the browser reaches it (the server renders a placeholder). */
const useOrigin = () =>
  useSyncExternalStore(
    () => () => {},
    () => window.location.origin,
    () => "https://console.example.com",
  );

/**
 * "Copy as API call": what the page is about to do, as a curl command (set TOKEN to an access
 * token of a user or client with the permission) and as a call of the typed client, each with
 * the exact body, for scripts and pipelines.
 */
export function CopyApiCall({ calls, permission }: { calls: NamedApiCall[]; permission: string }) {
  const origin = useOrigin();
  const id = useId();
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="ghost">
          <Terminal aria-hidden />
          Copy as API call
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[90dvh] overflow-y-auto sm:max-w-3xl">
        <DialogHeader>
          <DialogTitle>Copy as API call</DialogTitle>
          <DialogDescription>
            The same requests from a script or a pipeline. Set <code className="font-mono">TOKEN</code> to a Keycloak access token with{" "}
            <code className="font-mono">{permission}</code> (a client&apos;s, from its client credentials).
          </DialogDescription>
        </DialogHeader>
        <div className="grid min-w-0 gap-6">
          {calls.map(({ title, call }, i) => {
            const curl = curlCommand(call, origin);
            const client = clientCall(call, origin);
            return (
              <section key={title} aria-labelledby={`${id}-${i}`} className="grid min-w-0 gap-2" data-testid="api-call" data-operation={call.operation}>
                <h3 id={`${id}-${i}`} className="text-sm font-semibold">
                  {title}{" "}
                  <span className="font-mono text-xs font-normal text-muted-foreground">
                    {call.method} {call.path}
                  </span>
                </h3>
                <Snippet code={curl} label={`curl: ${title}`} testId="curl" />
                <Snippet code={client} label={`Typed client: ${title}`} testId="client" />
              </section>
            );
          })}
        </div>
      </DialogContent>
    </Dialog>
  );
}

function Snippet({ code, label, testId }: { code: string; label: string; testId: string }) {
  return (
    <div className="relative min-w-0">
      <CodeBlock code={code} language="text" label={label} className="max-h-64 pr-10 text-xs" data-testid={testId} />
      <CopyButton value={code} label={`Copy ${label}`} className="absolute top-1.5 right-1.5 bg-code" />
    </div>
  );
}
