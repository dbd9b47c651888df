import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryStore } from "./memory-store";

afterEach(() => {
  vi.useRealTimers();
});

describe("the development realm's memory store", () => {
  it("forgets entries when they expire", async () => {
    vi.useFakeTimers();
    const tokens = createMemoryStore().adapter("RefreshToken");
    await tokens.upsert("rt1", { jti: "rt1" }, 60);
    expect(await tokens.find("rt1")).toEqual({ jti: "rt1" });
    vi.advanceTimersByTime(61_000);
    expect(await tokens.find("rt1")).toBeUndefined();
  });

  it("revoking a grant drops every token of it, whatever the model", async () => {
    const store = createMemoryStore();
    await store.adapter("AuthorizationCode").upsert("c1", { jti: "c1", grantId: "g1" }, 60);
    await store.adapter("RefreshToken").upsert("r1", { jti: "r1", grantId: "g1" }, 60);
    await store.adapter("RefreshToken").upsert("r2", { jti: "r2", grantId: "g2" }, 60);
    await store.adapter("Grant").revokeByGrantId("g1");
    expect(await store.adapter("AuthorizationCode").find("c1")).toBeUndefined();
    expect(await store.adapter("RefreshToken").find("r1")).toBeUndefined();
    expect(await store.adapter("RefreshToken").find("r2")).toBeDefined();
  });

  it("finds sessions by uid and by a client's sid, and forgets them when destroyed", async () => {
    const store = createMemoryStore();
    const sessions = store.adapter("Session");
    await sessions.upsert("s1", { jti: "s1", uid: "u1", authorizations: { console: { sid: "sid-1" } } }, 600);
    expect((await sessions.findByUid("u1"))?.jti).toBe("s1");
    expect(store.sessionFor("console", "sid-1")?.jti).toBe("s1");
    expect(store.sessionFor("other-client", "sid-1")).toBeUndefined();
    await sessions.destroy("s1");
    expect(await sessions.findByUid("u1")).toBeUndefined();
    expect(store.sessionFor("console", "sid-1")).toBeUndefined();
  });

  it("keeps two realms apart", async () => {
    const a = createMemoryStore();
    const b = createMemoryStore();
    await a.adapter("Session").upsert("s1", { jti: "s1", uid: "u1" }, 600);
    expect(await b.adapter("Session").find("s1")).toBeUndefined();
  });
});
