import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../../../core/config/index.js';
import { PolicyStore } from '../../../gateway/policy/policyStore.js';
import { copyPolicies, memoryLogger } from './policyFolderFixture.js';

const OPEN_UNMASK = 'permit (principal, action == MeshGate::Action::"unmask", resource);\n';

describe('PolicyStore', () => {
  it('rejects an invalid folder at load with file and line', () => {
    const dir = copyPolicies();
    writeFileSync(path.join(dir, 'bad.cedar'), 'permit (principal, action, resource)\nwhen { resource.cost > 1 };\n');
    expect(() => PolicyStore.load({ dir, logger: memoryLogger().logger })).toThrow(ConfigError);
    expect(() => PolicyStore.load({ dir, logger: memoryLogger().logger })).toThrow(`${path.join(dir, 'bad.cedar')}:2:8: `);
  });

  it('changes the version when a policy changes', () => {
    const dir = copyPolicies();
    const store = PolicyStore.load({ dir, logger: memoryLogger().logger });
    const before = store.version;
    writeFileSync(path.join(dir, 'unmask.cedar'), OPEN_UNMASK);
    expect(store.reload()).toBe(true);
    expect(store.version).not.toBe(before);
  });

  it('keeps the previous version after a bad edit and logs it', () => {
    const dir = copyPolicies();
    const { logger, lines } = memoryLogger();
    const store = PolicyStore.load({ dir, logger });
    const before = store.version;
    writeFileSync(path.join(dir, 'unmask.cedar'), 'permit (principal, action, resource) when { };\n');
    expect(store.reload()).toBe(false);
    expect(store.version).toBe(before);
    expect(lines.find((line) => line.level === 50)).toMatchObject({ msg: 'policy reload failed, keeping the previous policies', version: before });
  });

  it('reloads on a file change while watching', async () => {
    const dir = copyPolicies();
    const store = PolicyStore.load({ dir, logger: memoryLogger().logger, debounceMs: 20 });
    const reloaded = new Promise<string>((resolve) => store.onReload((compiled) => resolve(compiled.version)));
    store.watch();
    writeFileSync(path.join(dir, 'unmask.cedar'), OPEN_UNMASK);
    const version = await reloaded;
    store.close();
    expect(version).toBe(store.version);
    expect(store.current.files.policies['unmask.cedar']).toBe(OPEN_UNMASK);
  });
});
