import type { PolicyFiles } from './compilePolicies.js';
import { findPolicyReferences } from './policyReferences.js';
import type { PolicyIssue } from './sourceLocation.js';
import type { SupergraphField } from './supergraphFields.js';

/**
 * Checks that every field coordinate and classification tag the policies name exists in the
 * supergraph, since a misspelt coordinate or tag never matches and silently changes a decision.
 */
export function checkPoliciesAgainstSupergraph(files: PolicyFiles, fields: SupergraphField[]): PolicyIssue[] {
  const coordinates = new Set(fields.map((field) => field.coordinate));
  const tags = new Set(fields.flatMap((field) => field.tags));
  const issues: PolicyIssue[] = [];

  for (const [file, text] of Object.entries(files.policies)) {
    for (const reference of findPolicyReferences(file, text)) {
      const position = { file: reference.file, line: reference.line, column: reference.column };
      if (reference.kind === 'coordinate' && !coordinates.has(reference.value)) {
        issues.push({ ...position, message: `field ${reference.value} is not defined in the supergraph` });
      }
      if (reference.kind === 'tag' && !tags.has(reference.value)) {
        const known = [...tags].sort().join(', ') || 'none';
        issues.push({ ...position, message: `tag "${reference.value}" is on no @classify field of the supergraph; tags in use: ${known}` });
      }
    }
  }
  return issues;
}
