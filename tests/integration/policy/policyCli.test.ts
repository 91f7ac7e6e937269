import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { registerPolicyCommand } from '../../../cli/commands/policy.js';
import { composeFixtureSupergraph } from '../../unit/policy/supergraphFixture.js';
import { copyPolicies, memoryLogger } from '../../unit/policy/policyFolderFixture.js';

async function runPolicy(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let exitCode = 0;
  const program = new Command().exitOverride();
  registerPolicyCommand(program, {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    setExitCode: (code) => (exitCode = code),
    logger: memoryLogger().logger,
  });
  await program.parseAsync(['node', 'meshgate', 'policy', ...args]);
  return { out, err, exitCode };
}

function fixture(): { dir: string; supergraph: string } {
  const dir = copyPolicies();
  const supergraph = path.join(path.dirname(dir), 'supergraph.graphql');
  writeFileSync(supergraph, composeFixtureSupergraph());
  return { dir, supergraph };
}

describe('policy validate', () => {
  it('accepts the repository policies', async () => {
    const { dir, supergraph } = fixture();
    const { exitCode, err } = await runPolicy(['validate', '--dir', dir, '--supergraph', supergraph]);
    expect(err).toEqual([]);
    expect(exitCode).toBe(0);
  });

  it('names file and line of an unknown coordinate and tag', async () => {
    const { dir, supergraph } = fixture();
    writeFileSync(
      path.join(dir, 'typo.cedar'),
      '// typos\npermit (principal, action == MeshGate::Action::"read", resource == MeshGate::Field::"Birdstrike.costTotl")\nwhen { resource.tags.contains("finacial") };\n',
    );
    const { exitCode, err } = await runPolicy(['validate', '--dir', dir, '--supergraph', supergraph]);
    expect(exitCode).toBe(1);
    expect(err).toEqual([
      `${path.join(dir, 'typo.cedar')}:2:68: field Birdstrike.costTotl is not defined in the supergraph`,
      `${path.join(dir, 'typo.cedar')}:3:31: tag "finacial" is on no @classify field of the supergraph; tags in use: confidential, financial, pii`,
      `2 policy issue(s) found in ${dir}`,
    ]);
  });

  it('reports a Cedar type error with its line', async () => {
    const { dir, supergraph } = fixture();
    writeFileSync(path.join(dir, 'bad.cedar'), 'permit (principal, action, resource)\nwhen { principal.clearance > 2 };\n');
    const { exitCode, err } = await runPolicy(['validate', '--dir', dir, '--supergraph', supergraph]);
    expect(exitCode).toBe(1);
    expect(err[0]).toMatch(new RegExp(`^${path.join(dir, 'bad.cedar')}:2:8: .*optional attribute \`clearance\``));
  });
});

describe('policy test', () => {
  it('passes the expected decisions of the repository', async () => {
    const { dir } = fixture();
    const { out, exitCode } = await runPolicy(['test', '--dir', dir]);
    const cases = (JSON.parse(readFileSync(path.join(dir, 'tests.json'), 'utf8')) as { cases: unknown[] }).cases.length;
    expect(out[out.length - 1]).toBe(`${cases} passed, 0 failed`);
    expect(exitCode).toBe(0);
  });

  it('exits non-zero and marks a mismatch', async () => {
    const { dir } = fixture();
    writeFileSync(path.join(dir, 'open.cedar'), 'permit (principal, action == MeshGate::Action::"filter", resource);\n');
    const { out, exitCode } = await runPolicy(['test', '--dir', dir]);
    expect(exitCode).toBe(1);
    expect(out[0].split('\n')).toContainEqual(expect.stringMatching(/^FAIL\s+analyst\s+Birdstrike\.costTotal\s+filter\s+deny\s+allow$/));
  });
});

describe('policy review', () => {
  it('prints only the decisions a change flips', async () => {
    const { dir, supergraph } = fixture();
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '--allow-empty', '-m', 'root');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'policies');

    const unmask = path.join(dir, 'unmask.cedar');
    writeFileSync(unmask, readFileSync(unmask, 'utf8').replace('["finance", "auditor"]', '["auditor"]'));

    const { out, exitCode } = await runPolicy(['review', '--base', 'HEAD', '--dir', dir, '--supergraph', supergraph]);
    expect(exitCode).toBe(0);
    expect(out[0]).toBe(
      [
        '### Policy decisions changed since HEAD',
        '',
        '| Field | Persona | Change |',
        '|---|---|---|',
        '| Birdstrike.costTotal | finance | raw → masked (SHA256) |',
        '| Birdstrike.costRepair | finance | raw → masked (NULLIFY) |',
        '',
      ].join('\n'),
    );
  });

  it('reads policies in a subfolder of the repository', async () => {
    const { dir, supergraph } = fixture();
    const repository = path.dirname(dir);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, stdio: 'pipe' });
    git('init', '-q');
    git('add', path.basename(dir));
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'policies');

    const unmask = path.join(dir, 'unmask.cedar');
    writeFileSync(unmask, readFileSync(unmask, 'utf8').replace('["finance", "auditor"]', '["auditor"]'));

    const { out, exitCode } = await runPolicy(['review', '--base', 'HEAD', '--dir', dir, '--supergraph', supergraph]);
    expect(exitCode).toBe(0);
    expect(out[0]).toContain('| Birdstrike.costTotal | finance | raw → masked (SHA256) |');
  });

  it('reports an unknown revision', async () => {
    const { dir, supergraph } = fixture();
    execFileSync('git', ['init', '-q'], { cwd: dir });
    const { err, exitCode } = await runPolicy(['review', '--base', 'no-such-rev', '--dir', dir, '--supergraph', supergraph]);
    expect(exitCode).toBe(1);
    expect(err[0]).toMatch(/^error: git ls-tree --name-only no-such-rev: failed: /);
  });
});
