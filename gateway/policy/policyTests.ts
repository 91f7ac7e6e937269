import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { fieldResource } from './fieldResource.js';
import { findPersona, personaPrincipal, type Persona } from './personas.js';
import type { Action, FieldResource, Principal } from './types.js';

export type Decision = 'allow' | 'deny';

export interface PolicyTestCase {
  persona: string;
  coordinate: string;
  action: Action;
  expected: Decision;
}

/** Expected decisions, and the tags and subgraph of each field the cases name. */
export interface PolicyTestFile {
  fields: Record<string, { tags: string[]; subgraph?: string }>;
  cases: PolicyTestCase[];
}

export interface PolicyTestResult extends PolicyTestCase {
  actual: Decision;
  passed: boolean;
}

/** A synchronous decision function, such as `CedarDecider.decide`. */
export type DecideFunction = (principal: Principal, action: Action, resource: FieldResource) => boolean;

const testFileSchema = z
  .object({
    fields: z.record(z.string(), z.object({ tags: z.array(z.string()), subgraph: z.string().optional() }).strict()),
    cases: z.array(
      z
        .object({
          persona: z.string(),
          coordinate: z.string(),
          action: z.enum(['read', 'unmask', 'filter']),
          expected: z.enum(['allow', 'deny']),
        })
        .strict(),
    ),
  })
  .strict();

/**
 * Reads a policy test file and checks that every case names a declared field.
 *
 * @throws Error naming the file and the invalid entry.
 */
export function loadPolicyTests(file: string): PolicyTestFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cannot read policy tests ${file}: ${(error as Error).message}`, { cause: error });
  }
  const result = testFileSchema.safeParse(raw);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);
    throw new Error(`invalid policy tests ${file}: ${issues.join('; ')}`);
  }

  const undeclared = result.data.cases.findIndex((testCase) => result.data.fields[testCase.coordinate] === undefined);
  if (undeclared >= 0) {
    const coordinate = result.data.cases[undeclared].coordinate;
    throw new Error(`invalid policy tests ${file}: cases.${undeclared} names ${coordinate}, which "fields" does not declare`);
  }
  return result.data;
}

/** Runs every case with `decide`. @throws Error when a case names an unknown persona. */
export function runPolicyTests(decide: DecideFunction, personas: Persona[], tests: PolicyTestFile): PolicyTestResult[] {
  return tests.cases.map((testCase) => {
    const field = tests.fields[testCase.coordinate];
    const principal = personaPrincipal(findPersona(personas, testCase.persona));
    const resource = fieldResource(testCase.coordinate, field.tags, field.subgraph);
    const actual: Decision = decide(principal, testCase.action, resource) ? 'allow' : 'deny';
    return { ...testCase, actual, passed: actual === testCase.expected };
  });
}
