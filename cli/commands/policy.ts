import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createLogger, type Logger } from '../../core/logger.js';
import {
  CedarDecider,
  checkPoliciesAgainstSupergraph,
  compilePolicies,
  formatIssue,
  formatReviewMarkdown,
  governedFields,
  loadPersonas,
  loadPolicyTests,
  readPolicyFolder,
  readPolicyFolderAtRevision,
  readSupergraphFields,
  reviewDecisions,
  runPolicyTests,
  type CompiledPolicies,
  type PolicyFiles,
  type PolicyTestResult,
} from '../../gateway/policy/index.js';

/** Where a command writes and how it reports failure; tests pass their own. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  setExitCode(code: number): void;
  logger: Logger;
}

export const processIo: CommandIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  setExitCode: (code) => {
    process.exitCode = code;
  },
  logger: createLogger({ level: 'warn' }),
};

interface FolderOptions {
  dir: string;
  supergraph: string;
}

/**
 * Adds `policy validate`, `policy test` and `policy review --base REV` to the CLI. Each command
 * sets a non-zero exit code when it finds a problem.
 */
export function registerPolicyCommand(program: Command, deps: Partial<CommandIo> = {}): Command {
  const io: CommandIo = { ...processIo, ...deps };
  const policy = program.command('policy').description('Validate, test and review the Cedar policies in policies/');

  policy
    .command('validate')
    .description('Validate the policies against the Cedar schema and the fields and tags of the supergraph')
    .option('--dir <dir>', 'policy folder', 'policies')
    .option('--supergraph <file>', 'supergraph SDL whose fields and @classify tags the policies may name', 'schema/supergraph.graphql')
    .action((options: FolderOptions) => guard(io, () => validateCommand(options, io)));

  policy
    .command('test')
    .description('Run the expected decisions of <dir>/tests.json and print a table')
    .option('--dir <dir>', 'policy folder', 'policies')
    .action((options: { dir: string }) => guard(io, () => testCommand(options.dir, io)));

  policy
    .command('review')
    .description('Print as Markdown every persona × field decision that changed since a git revision')
    .requiredOption('--base <rev>', 'git revision to compare the working tree with, such as origin/main')
    .option('--dir <dir>', 'policy folder', 'policies')
    .option('--supergraph <file>', 'supergraph SDL whose @mask/@classify fields are reviewed', 'schema/supergraph.graphql')
    .action((options: FolderOptions & { base: string }) => guard(io, () => reviewCommand(options, io)));

  return policy;
}

function validateCommand(options: FolderOptions, io: CommandIo): void {
  const files = readPolicyFolder(options.dir);
  const compiled = compilePolicies(files, 'cli:validate');
  const issues = compiled.ok ? [] : compiled.issues;
  issues.push(...checkPoliciesAgainstSupergraph(files, readSupergraphFields(readFileSync(options.supergraph, 'utf8'))));

  if (issues.length > 0) {
    for (const issue of issues) io.err(formatIssue({ ...issue, file: path.join(options.dir, issue.file) }));
    io.err(`${issues.length} policy issue(s) found in ${options.dir}`);
    io.setExitCode(1);
    return;
  }
  io.out(`${options.dir}: ${Object.keys(files.policies).length} policy file(s) valid against the Cedar schema and ${options.supergraph}`);
}

function testCommand(dir: string, io: CommandIo): void {
  const decider = new CedarDecider({ current: compileOrThrow(readPolicyFolder(dir), 'cli:test', dir) }, { logger: io.logger });
  const results = runPolicyTests(
    (principal, action, resource) => decider.decide(principal, action, resource),
    loadPersonas(path.join(dir, 'personas.json')),
    loadPolicyTests(path.join(dir, 'tests.json')),
  );
  io.out(formatTestTable(results));

  const failed = results.filter((result) => !result.passed).length;
  io.out(`${results.length - failed} passed, ${failed} failed`);
  if (failed > 0) io.setExitCode(1);
}

/** Renders test results as an aligned text table, failures marked FAIL. */
export function formatTestTable(results: PolicyTestResult[]): string {
  const header = ['result', 'persona', 'field', 'action', 'expected', 'actual'];
  const rows = results.map((result) => [
    result.passed ? 'ok' : 'FAIL',
    result.persona,
    result.coordinate,
    result.action,
    result.expected,
    result.actual,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const render = (row: string[]) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [render(header), ...rows.map(render)].join('\n');
}

function reviewCommand(options: FolderOptions & { base: string }, io: CommandIo): void {
  const base = compileOrThrow(readPolicyFolderAtRevision(options.dir, options.base), 'cli:review-base', `${options.dir} at ${options.base}`);
  const head = compileOrThrow(readPolicyFolder(options.dir), 'cli:review-head', options.dir);
  const fields = governedFields(readSupergraphFields(readFileSync(options.supergraph, 'utf8')));
  const personas = loadPersonas(path.join(options.dir, 'personas.json'));

  const changes = reviewDecisions(
    new CedarDecider({ current: base }, { logger: io.logger }),
    new CedarDecider({ current: head }, { logger: io.logger }),
    personas,
    fields,
  );
  io.out(formatReviewMarkdown(changes, options.base));
}

function compileOrThrow(files: PolicyFiles, slot: string, label: string): CompiledPolicies {
  const result = compilePolicies(files, slot);
  if (result.ok) return result.compiled;
  throw new Error(`policies of ${label} are invalid:\n${result.issues.map(formatIssue).join('\n')}`);
}

function guard(io: CommandIo, run: () => void): void {
  try {
    run();
  } catch (error) {
    io.err(`error: ${(error as Error).message}`);
    io.setExitCode(1);
  }
}
