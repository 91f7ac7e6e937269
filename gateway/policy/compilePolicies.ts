import { createHash } from 'node:crypto';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { readEntityShapes, type EntityShapes } from './attributeShape.js';
import { positionAt, type PolicyIssue } from './sourceLocation.js';

/** File name of the Cedar schema inside a policy folder. */
export const SCHEMA_FILE = 'schema.cedarschema';

/** The text of a policy folder: its Cedar schema and each `*.cedar` file by file name. */
export interface PolicyFiles {
  schema: string;
  policies: Record<string, string>;
}

/** A validated policy set, parsed once into the Cedar engine under `policySetId` and `schemaName`. */
export interface CompiledPolicies {
  /** `sha256:` and the first 12 hex digits of the hash of every file, so equal policies share a version. */
  version: string;
  policySetId: string;
  schemaName: string;
  shapes: EntityShapes;
  files: PolicyFiles;
  /** Policy ids, as `<file>#<index in file>`, that the engine names in its diagnostics. */
  policyIds: string[];
}

export type CompileResult = { ok: true; compiled: CompiledPolicies } | { ok: false; issues: PolicyIssue[] };

/**
 * Parses and validates a policy folder's text against its Cedar schema (strict mode) and, when no
 * issue is found, loads it into the Cedar engine's cache under `slot`. Loading into a slot
 * replaces what the slot held before, so callers that keep a previous set alive use another slot.
 */
export function compilePolicies(files: PolicyFiles, slot: string): CompileResult {
  const schemaIssues = checkSchema(files.schema);
  if (schemaIssues.length > 0) return { ok: false, issues: schemaIssues };

  let shapes: EntityShapes;
  try {
    shapes = readEntityShapes(files.schema);
  } catch (error) {
    return { ok: false, issues: [{ file: SCHEMA_FILE, line: 1, column: 1, message: (error as Error).message }] };
  }

  const issues = Object.entries(files.policies).flatMap(([file, text]) => validateFile(file, text, files.schema));
  if (issues.length > 0) return { ok: false, issues };

  const policies = splitPolicies(files.policies);
  const schemaName = `${slot}:schema`;
  loadIntoEngine(slot, schemaName, files.schema, policies);

  const compiled = { version: versionOf(files), policySetId: slot, schemaName, shapes, files, policyIds: Object.keys(policies) };
  return { ok: true, compiled };
}

/** Computes the content version of a policy folder without compiling it. */
export function versionOf(files: PolicyFiles): string {
  const hash = createHash('sha256').update(SCHEMA_FILE).update('\0').update(files.schema);
  for (const file of Object.keys(files.policies).sort()) {
    hash.update('\0').update(file).update('\0').update(files.policies[file]);
  }
  return `sha256:${hash.digest('hex').slice(0, 12)}`;
}

function checkSchema(schema: string): PolicyIssue[] {
  const answer = cedar.checkParseSchema(schema);
  if (answer.type === 'success') return [];
  return answer.errors.map((error) => issueAt(SCHEMA_FILE, schema, error));
}

function validateFile(file: string, text: string, schema: string): PolicyIssue[] {
  const answer = cedar.validate({ schema, policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } });
  if (answer.type === 'failure') return answer.errors.map((error) => issueAt(file, text, error));

  const issues = answer.validationErrors.map((entry) => issueAt(file, text, entry.error));
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'success' && parts.policy_templates.length > 0) {
    issues.push({ file, line: 1, column: 1, message: 'policy templates are not supported; write static policies' });
  }
  return issues;
}

function issueAt(file: string, text: string, error: cedar.DetailedError): PolicyIssue {
  const location = error.sourceLocations?.[0];
  const position = location === undefined ? { line: 1, column: 1 } : positionAt(text, location.start);
  const details = [error.message, location?.label, error.help].filter((part): part is string => Boolean(part));
  return { file, ...position, message: details.join('; ') };
}

function splitPolicies(files: Record<string, string>): Record<string, string> {
  const policies: Record<string, string> = {};
  for (const file of Object.keys(files).sort()) {
    const parts = cedar.policySetTextToParts(files[file]);
    if (parts.type === 'failure') throw new Error(`${file} parsed during validation but not when split into policies`);
    parts.policies.forEach((policy, index) => {
      policies[`${file}#${index}`] = policy;
    });
  }
  return policies;
}

function loadIntoEngine(slot: string, schemaName: string, schema: string, policies: Record<string, string>): void {
  const schemaAnswer = cedar.preparseSchema(schemaName, schema);
  const policyAnswer = cedar.preparsePolicySet(slot, { staticPolicies: policies });
  const failure = [schemaAnswer, policyAnswer].find((answer) => answer.type === 'failure');
  if (failure !== undefined && failure.type === 'failure') {
    throw new Error(`the Cedar engine rejected validated policies: ${failure.errors.map((error) => error.message).join('; ')}`);
  }
}
