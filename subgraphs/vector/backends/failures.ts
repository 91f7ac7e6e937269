/** Documents named in one error message; the message gives the count of all. */
const LISTED_FAILURES = 5;

/**
 * Joins per-document failures of a batch request as "a: reason; b: reason", naming at most five
 * documents, so that a batch that failed as a whole does not produce a message of a thousand lines.
 */
export function listFailures(failures: readonly string[]): string {
  const listed = failures.slice(0, LISTED_FAILURES).join('; ');
  return failures.length > LISTED_FAILURES ? `${listed}; and ${failures.length - LISTED_FAILURES} more` : listed;
}
