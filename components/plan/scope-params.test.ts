import { describe, expect, it } from "vitest";
import { sameScope, scopeFromParams, scopeToParams } from "./scope-params";

describe("plan scope in the URL", () => {
  it("round-trips every scope through the query string", () => {
    const scopes = [
      { scope: "all" as const },
      { scope: "admin" as const },
      { scope: "regional" as const, region: "eu-west-1" },
      { scope: "tenant" as const, tenant_ids: ["b", "a"] },
      { scope: "single" as const, database_id: "d1", schema_name: "tenant_acme" },
      { scope: "tenant" as const, tenant_ids: ["a"], include_providers: true },
    ];
    for (const s of scopes) {
      const back = scopeFromParams(scopeToParams(s));
      expect(back && sameScope(back, s)).toBe(true);
    }
  });

  it("drops fields the scope does not take, which the API would refuse", () => {
    const params = new URLSearchParams("scope=tenant&region=eu-west-1&database_id=x&tenant_ids=t1");
    expect(scopeFromParams(params)).toEqual({ scope: "tenant", tenant_ids: ["t1"] });
    expect(scopeToParams({ scope: "admin", region: "eu-west-1" }).toString()).toBe("scope=admin");
  });

  it("keeps the page's other parameters and replaces the old scope", () => {
    const next = scopeToParams({ scope: "regional", region: "us-east-1" }, new URLSearchParams("scope=tenant&tenant_ids=a&rehearsal=r1"));
    expect(next.get("rehearsal")).toBe("r1");
    expect(next.get("tenant_ids")).toBeNull();
    expect(next.get("region")).toBe("us-east-1");
  });

  it("takes in what the targets need only when asked, and not as the same scope", () => {
    expect(scopeToParams({ scope: "tenant", tenant_ids: ["a"], include_providers: true }).get("include_providers")).toBe("true");
    expect(scopeFromParams(new URLSearchParams("scope=tenant&include_providers=false"))).toEqual({ scope: "tenant" });
    expect(sameScope({ scope: "tenant", include_providers: true }, { scope: "tenant" })).toBe(false);
  });

  it("reads no scope from an empty or unknown value", () => {
    expect(scopeFromParams(new URLSearchParams(""))).toBeNull();
    expect(scopeFromParams(new URLSearchParams("scope=everything"))).toBeNull();
  });

  it("treats tenant lists in any order as the same scope", () => {
    expect(sameScope({ scope: "tenant", tenant_ids: ["a", "b"] }, { scope: "tenant", tenant_ids: ["b", "a"] })).toBe(true);
    expect(sameScope({ scope: "tenant", tenant_ids: ["a"] }, { scope: "tenant" })).toBe(false);
  });
});
