/** A 1-based line and column in a text file. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** Converts a character offset of `text` into the line and column an editor shows. */
export function positionAt(text: string, offset: number): SourcePosition {
  const before = text.slice(0, Math.max(0, offset));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1].length + 1 };
}

/** One problem found in a policy file, located for a reader. */
export interface PolicyIssue {
  file: string;
  line: number;
  column: number;
  message: string;
}

/** Formats an issue as `file:line:column: message`, the form editors and CI logs link. */
export function formatIssue(issue: PolicyIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.message}`;
}
