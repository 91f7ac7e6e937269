import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServiceProcess } from './serviceProcess.js';

let folder: string;

beforeAll(() => {
  folder = mkdtempSync(path.join(os.tmpdir(), 'meshgate-startup-'));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('meshgate serve with an unreachable warehouse service', () => {
  it('exits with the cause soon after timeoutMs', async () => {
    const config = {
      dataDir: folder,
      subgraphs: { warehouse: { port: 0 } },
      warehouse: {
        backend: {
          kind: 'snowflake',
          account: 'acme',
          username: 'MESH',
          warehouse: 'W',
          database: 'D',
          schema: 'S',
          passwordEnv: 'STARTUP_SNOWFLAKE_PASSWORD',
          // Nothing listens on the port: the SDK keeps retrying its login for minutes.
          accessUrl: 'http://127.0.0.1:59999',
          timeoutMs: 2000,
        },
      },
    };
    const started = startServiceProcess('warehouse', config, path.join(folder, 'snowflake.json'), { STARTUP_SNOWFLAKE_PASSWORD: 'x' });

    await expect(started).rejects.toThrow(/exited with 1: meshgate: No Snowflake session .* Check that accessUrl is reachable\./);
  }, 30_000);
});
