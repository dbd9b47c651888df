import { describe, expect, it } from "vitest";
import { envelopeOf, executionFacts, renderBody, slackEscape, type ExecutionLike, type WebhookFacts } from "./payloads";

const row: ExecutionLike = {
  id: "0b9a4c1e-1111-4222-8333-444455556666",
  kind: "migrate",
  scope: "regional",
  status: "failed",
  dryRun: false,
  executedBy: "alice",
  approvedBy: null,
  totalTargets: 12,
  completedTargets: 10,
  failedTargets: 2,
  skippedTargets: 0,
  errorMessage: "2 of 12 targets did not succeed: <relation \"invoices\" & friends>",
  metadata: { schedule_id: "5c0a8b3e-aaaa-4bbb-8ccc-ddddeeeeffff", schedule_name: "nightly" },
  createdAt: new Date("2025-01-01T03:00:00Z"),
  startedAt: new Date("2025-01-01T03:00:01Z"),
  completedAt: new Date("2025-01-01T03:02:00Z"),
};
const meta = { id: "9e4f0a2b-0000-4000-8000-000000000001", createdAt: new Date("2025-01-01T03:02:00Z"), app: "Console", publicUrl: "https://console.example.com" };

describe("webhook bodies", () => {
  it("standard: the envelope with the execution's facts and a link to its page", () => {
    const facts: WebhookFacts = { type: "execution.failed", execution: executionFacts(row, "https://console.example.com/") };
    const body = JSON.parse(renderBody("standard", envelopeOf(facts, meta), facts));
    expect(body).toMatchObject({
      id: meta.id,
      type: "execution.failed",
      created_at: "2025-01-01T03:02:00.000Z",
      source: { app: "Console", url: "https://console.example.com" },
      data: {
        execution: {
          id: row.id,
          status: "failed",
          executed_by: "alice",
          targets: { total: 12, completed: 10, failed: 2, skipped: 0 },
          schedule: { id: row.metadata.schedule_id, name: "nightly" },
          url: `https://console.example.com/executions/${row.id}`,
        },
      },
    });
  });

  it("slack: a message whose text links the execution and escapes what the fleet wrote", () => {
    const facts: WebhookFacts = { type: "execution.failed", execution: executionFacts(row, "https://console.example.com") };
    const body = JSON.parse(renderBody("slack", envelopeOf(facts, meta), facts));
    expect(body.text).toContain(`<https://console.example.com/executions/${row.id}|Execution 0b9a4c1e>`);
    expect(body.text).toContain("&lt;relation \"invoices\" &amp; friends&gt;");
    expect(body.text).not.toContain("<relation");
    expect(body.blocks[0]).toEqual({ type: "section", text: { type: "mrkdwn", text: body.text } });
    expect(body.blocks[1].elements[0].text).toContain("`execution.failed`");
  });

  it("slack without a public URL names the execution without a link", () => {
    const facts: WebhookFacts = { type: "execution.approval_needed", execution: executionFacts(row, null) };
    const { text } = JSON.parse(renderBody("slack", envelopeOf(facts, { ...meta, publicUrl: null }), facts));
    expect(text).toMatch(/^:hourglass_flowing_sand: Execution 0b9a4c1e by alice needs approval/);
  });

  it("the same facts always render the same bytes (every attempt signs the stored body)", () => {
    const facts: WebhookFacts = { type: "webhook.test", endpoint: { id: "e", name: "ops" }, requested_by: "admin" };
    expect(renderBody("standard", envelopeOf(facts, meta), facts)).toBe(renderBody("standard", envelopeOf(facts, meta), facts));
  });

  it("escapes only Slack's three markup characters", () => {
    expect(slackEscape("a < b && c > d *bold*")).toBe("a &lt; b &amp;&amp; c &gt; d *bold*");
  });
});
