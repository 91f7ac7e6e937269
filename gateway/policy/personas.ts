import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { claimsToPrincipal, DEFAULT_CLAIMS_TO_ATTRIBUTES } from '../auth/claims.js';
import type { Principal } from './types.js';

/** A named example caller used by development tokens, policy tests and policy review. */
export interface Persona {
  name: string;
  description: string;
  /** Claims of the persona's token; null for a caller without a token. */
  claims: Record<string, unknown> | null;
}

const personaFileSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9-]*$/, 'a persona name is lower case letters, digits and dashes'),
  z
    .object({
      description: z.string().default(''),
      claims: z.looseObject({ sub: z.string().min(1) }).nullable(),
    })
    .strict(),
);

/**
 * Reads a personas file: a JSON object of persona name → `{ description, claims }`.
 *
 * @throws Error naming the file and the invalid entry.
 */
export function loadPersonas(file: string): Persona[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read personas file ${file}: ${(error as Error).message}`, { cause: error });
  }

  const result = personaFileSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
    throw new Error(`invalid personas file ${file}: ${issues.join('; ')}`);
  }
  return Object.entries(result.data).map(([name, entry]) => ({ name, description: entry.description, claims: entry.claims }));
}

/** Finds a persona by name. @throws Error listing the known names when there is none. */
export function findPersona(personas: Persona[], name: string): Persona {
  const persona = personas.find((candidate) => candidate.name === name);
  if (persona === undefined) {
    throw new Error(`unknown persona "${name}"; known personas: ${personas.map((known) => known.name).join(', ')}`);
  }
  return persona;
}

/** The principal the gateway would build from the persona's token. */
export function personaPrincipal(
  persona: Persona,
  claimsToAttributes: Readonly<Record<string, string>> = DEFAULT_CLAIMS_TO_ATTRIBUTES,
): Principal {
  return claimsToPrincipal(persona.claims, claimsToAttributes);
}
