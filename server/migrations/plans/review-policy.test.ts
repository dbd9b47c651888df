import { describe, expect, it } from "vitest";
import { parseReviewPolicy, ReviewPolicyError } from "./review-policy";

const problemsOf = (text: string) => {
  try {
    parseReviewPolicy(text, "policy.json");
  } catch (error) {
    if (error instanceof ReviewPolicyError) return error.problems;
    throw error;
  }
  return [];
};

describe("review policy file", () => {
  it("gives every rule left out the level warn, and the default large-table thresholds", () => {
    const policy = parseReviewPolicy(`{"rules": {"drop_table": "block", "index_build_on_large_table": "require_approval"}}`, "p.json");
    expect(policy.levels.drop_table).toBe("block");
    expect(policy.levels.index_build_on_large_table).toBe("require_approval");
    expect(policy.levels.truncate).toBe("warn");
    expect(policy.largeTable).toEqual({ accessExclusiveRows: 1_000_000, rewriteBytes: 1024 ** 3, indexRows: 1_000_000 });
    expect(policy.requireRehearsalWithinHours).toBeNull();
  });

  it("reads the thresholds and the rehearsal rule", () => {
    const policy = parseReviewPolicy(`{"require_rehearsal_within_hours": 12, "large_table": {"index_rows": 5000}}`, "p.json");
    expect(policy.requireRehearsalWithinHours).toBe(12);
    expect(policy.largeTable.indexRows).toBe(5000);
    expect(policy.largeTable.accessExclusiveRows).toBe(1_000_000);
  });

  it("names the rule that is unknown or has a wrong level", () => {
    const problems = problemsOf(`{"rules": {"drop_tabel": "block", "truncate": "deny"}}`);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^rules\.drop_tabel: not a rule \(known: non_concurrent_index, /);
    expect(problems[1]).toBe(`rules.truncate: level must be one of warn, require_approval, block (got "deny")`);
  });

  it("names the field that is wrong, and says when the file is not JSON", () => {
    expect(problemsOf(`{"large_table": {"index_rows": -1}}`)).toEqual(["large_table.index_rows: must be above 0"]);
    expect(problemsOf(`{"rule": {}}`)[0]).toContain("unknown field rule");
    expect(problemsOf(`{"rules": {"require_rehearsal": "block"}}`)[0]).toContain("set require_rehearsal_within_hours instead");
    expect(problemsOf(`{rules`)[0]).toMatch(/^not valid JSON/);
    expect(() => parseReviewPolicy(`{"rules": {"x": "warn"}}`, "/etc/console/policy.json")).toThrow(/REVIEW_POLICY_FILE \/etc\/console\/policy\.json:\n  - rules\.x: not a rule/);
  });
});
