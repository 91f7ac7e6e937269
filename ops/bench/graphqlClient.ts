/** Sends one GraphQL request and returns the parsed body; throws when the response has errors. */
export async function postGraphQL(url: string, query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (body.errors?.length) throw new Error(`GraphQL request failed: ${JSON.stringify(body.errors)}`);
  return body.data ?? {};
}
