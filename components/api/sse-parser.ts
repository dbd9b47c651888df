/** One Server-Sent Event as the stream delivered it. */
export interface SseMessage {
  id: string | null;
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser (the WHATWG rules that matter here): feed it chunks as
 * they arrive, in any split, and it calls back once per complete event. Comment lines (heartbeats)
 * are dropped; `retry:` is reported so a reconnect can honour the server's delay.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private event = "";
  private id: string | null = null;

  constructor(
    private readonly onMessage: (message: SseMessage) => void,
    private readonly onRetry: (ms: number) => void = () => {},
  ) {}

  push(chunk: string): void {
    this.buffer += chunk;
    // A trailing "\r" may be the first half of "\r\n": keep it until the next chunk says.
    const lines = this.buffer.split(/\r\n|\n|\r(?=[^\n])/);
    this.buffer = lines.pop() ?? "";
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") this.data.push(value);
    else if (field === "event") this.event = value;
    else if (field === "id" && !value.includes("\0")) this.id = value;
    else if (field === "retry" && /^\d+$/.test(value)) this.onRetry(Number(value));
  }

  private dispatch(): void {
    if (this.data.length) this.onMessage({ id: this.id, event: this.event || "message", data: this.data.join("\n") });
    this.data = [];
    this.event = "";
  }
}
