import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command } from 'commander';

import { registerCostCommand } from '../../../cli/commands/cost.js';
import { COST_DIRECTIVES } from './helpers.js';

interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
}

async function run(args: string[]): Promise<RunResult> {
  const program = new Command().exitOverride();
  registerCostCommand(program);
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'meshgate', 'cost', 'estimate', ...args]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const exitCode = process.exitCode === undefined ? undefined : Number(process.exitCode);
  process.exitCode = undefined;
  return { stdout, stderr, exitCode };
}

describe('cost estimate command', () => {
  let dir: string;
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'meshgate-cost-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const sdl = `${COST_DIRECTIVES}
    type Query { items(first: Int): [Item] @listSize(slicingArguments: ["first"]) @cost(weight: 5) }
    type Item { name: String }
  `;

  it('prints the estimated and actual cost as JSON', async () => {
    const schema = file('schema.graphql', sdl);
    const query = file('query.graphql', 'query ($n: Int) { items(first: $n) { name } }');
    const response = file('response.json', JSON.stringify({ data: { items: [{ name: 'a' }] } }));
    const result = await run(['--schema', schema, '--query', query, '--variables', '{"n": 4}', '--response', response, '--json']);
    // estimated: 5 + 4 items; actual: 5 + 1 item.
    expect(JSON.parse(result.stdout)).toEqual({ estimated: 9, actual: 6 });
    expect(result.exitCode).toBeUndefined();
  });

  it('prints text with an explain table', async () => {
    const schema = file('schema.graphql', sdl);
    const query = file('query.graphql', '{ items(first: 2) { name } }');
    const result = await run(['--schema', schema, '--query', query, '--explain']);
    expect(result.stdout).toContain('estimated cost: 7\n');
    expect(result.stdout).toContain('7  7  1  items[]  Query.items');
  });

  it('applies --list-size to unsized lists', async () => {
    const schema = file('schema.graphql', `${COST_DIRECTIVES} type Query { items: [Item] } type Item { name: String }`);
    const query = file('query.graphql', '{ items { name } }');
    const result = await run(['--schema', schema, '--query', query, '--list-size', '3', '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ estimated: 3, actual: null });
  });

  it.each([
    ['a missing schema file', (d: string) => ['--schema', join(d, 'absent.graphql'), '--query', 'QUERY'], /cannot read the schema file .*absent\.graphql: ENOENT\./],
    ['invalid SDL', () => ['--schema', 'BAD_SCHEMA', '--query', 'QUERY'], /Invalid schema SDL: Syntax Error/],
    ['an invalid query', () => ['--schema', 'SCHEMA', '--query', 'BAD_QUERY'], /Cannot query field "nope" on type "Query"\. \(GRAPHQL_VALIDATION_FAILED\)/],
    ['invalid JSON variables', () => ['--schema', 'SCHEMA', '--query', 'QUERY', '--variables', '{n:'], /--variables is not valid JSON/],
  ])('fails on %s', async (_case, makeArgs, message) => {
    const paths: Record<string, string> = {
      SCHEMA: file('schema.graphql', sdl),
      BAD_SCHEMA: file('bad.graphql', 'type Query {'),
      QUERY: file('query.graphql', '{ items(first: 1) { name } }'),
      BAD_QUERY: file('bad-query.graphql', '{ nope }'),
    };
    const args = makeArgs(dir).map((arg) => paths[arg] ?? arg);
    const result = await run(args);
    expect(result.stderr).toMatch(message);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
  });
});
