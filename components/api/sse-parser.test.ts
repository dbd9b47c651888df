import { describe, expect, it } from "vitest";
import { SseParser, type SseMessage } from "./sse-parser";

function parse(chunks: string[]) {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = new SseParser((m) => messages.push(m), (ms) => retries.push(ms));
  for (const c of chunks) parser.push(c);
  return { messages, retries };
}

describe("SseParser", () => {
  it("reads id, event and data of each event, skipping heartbeats", () => {
    const { messages, retries } = parse([
      "retry: 3000\n\n",
      ": heartbeat 2026-01-01T00:00:00Z\n\n",
      'id: 7\nevent: target_finished\ndata: {"a":1}\n\n',
    ]);
    expect(retries).toEqual([3000]);
    expect(messages).toEqual([{ id: "7", event: "target_finished", data: '{"a":1}' }]);
  });

  it("joins an event split across chunks anywhere, CRLF included", () => {
    const text = 'id: 12\r\nevent: execution_finished\r\ndata: {"status":"completed"}\r\n\r\nid: 13\r\ndata: x\r\n\r\n';
    for (let cut = 1; cut < text.length; cut++) {
      const { messages } = parse([text.slice(0, cut), text.slice(cut)]);
      expect(messages.map((m) => m.id)).toEqual(["12", "13"]);
      expect(messages[0]).toMatchObject({ event: "execution_finished", data: '{"status":"completed"}' });
    }
  });

  it("keeps the last id for events without one, and joins multi-line data", () => {
    const { messages } = parse(["id: 3\ndata: a\n\n", "data: b\ndata: c\n\n"]);
    expect(messages).toEqual([
      { id: "3", event: "message", data: "a" },
      { id: "3", event: "message", data: "b\nc" },
    ]);
  });

  it("waits for the blank line before dispatching", () => {
    const { messages } = parse(["id: 1\ndata: half"]);
    expect(messages).toEqual([]);
  });
});
