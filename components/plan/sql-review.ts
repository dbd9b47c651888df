/**
 * Lint findings placed on the statements they concern: a finding names a line of the file, and a
 * statement runs from its own line up to the next statement's (the last one to the end).
 */

export interface ReviewStatement {
  sql: string;
  line: number;
  kind: string;
}

export interface ReviewFinding {
  code: string;
  message: string;
  line: number;
}

/** Each statement with the findings on its lines; findings before the first statement go to it. */
export function findingsByStatement<F extends ReviewFinding>(
  statements: readonly ReviewStatement[],
  findings: readonly F[],
): Array<{ statement: ReviewStatement; findings: F[] }> {
  const rows = statements.map((statement) => ({ statement, findings: [] as F[] }));
  if (rows.length === 0) return rows;
  for (const finding of findings) {
    let at = 0;
    for (let i = 0; i < rows.length; i++) if (rows[i]!.statement.line <= finding.line) at = i;
    rows[at]!.findings.push(finding);
  }
  return rows;
}
