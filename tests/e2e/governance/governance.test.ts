import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateKeyPair, importJWK, SignJWT, type JWTPayload } from 'jose';
import { ensureDevKeys, issueDevToken, DEV_KEY_ALGORITHM } from '../../../gateway/auth/devKeys.js';
import { startTestMesh, type GraphQLErrorBody, type TestMesh } from '../../support/mesh.js';
import { SourceSql } from '../../support/sourceSql.js';
import { leakQueries } from './leakQueries.js';

const PERSONAS = ['analyst', 'finance', 'auditor', 'partner', 'anonymous'] as const;
type Persona = (typeof PERSONAS)[number];
type Tag = 'financial' | 'confidential' | 'pii';

/** The tags each persona may unmask, read off `policies/unmask.cedar` and `policies/personas.json`. */
const UNMASKED_TAGS: Record<Persona, readonly Tag[]> = {
  analyst: [],
  finance: ['financial', 'pii'],
  auditor: ['financial', 'confidential', 'pii'],
  partner: [],
  anonymous: [],
};

const FIELD_TAGS: Record<string, Tag> = {
  operator: 'confidential',
  date: 'pii',
  costTotal: 'financial',
  costRepair: 'financial',
  costOther: 'financial',
};

interface SourceRow {
  id: number;
  operator: string | null;
  date: string | null;
  costTotal: string | null;
  costRepair: string | null;
  costOther: string | null;
}

let mesh: TestMesh;
let sql: SourceSql;
let policiesDir: string;
const tokens = new Map<Persona, string>();

beforeAll(async () => {
  sql = await SourceSql.open();
  policiesDir = mkdtempSync(path.join(os.tmpdir(), 'meshgate-policies-'));
  cpSync('policies', policiesDir, { recursive: true });
  // The leak test sends many requests as one caller, so the cost budget is set out of its way.
  mesh = await startTestMesh({ governance: { policiesDir }, budget: { maximum: 1_000_000, restoreRate: 1_000_000 } });
  for (const persona of PERSONAS) {
    if (persona !== 'anonymous') tokens.set(persona, await issueDevToken(persona, tokenOptions()));
  }
}, 180_000);

afterAll(async () => {
  await mesh?.stop();
  sql?.close();
  if (policiesDir !== undefined) rmSync(policiesDir, { recursive: true, force: true });
});

function tokenOptions() {
  return { dataDir: mesh.dataDir, issuer: mesh.config.auth.issuer, audience: mesh.config.auth.audience };
}

async function post(query: string, authorization?: string, variables?: Record<string, unknown>) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fetch(mesh.graphqlUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: Record<string, unknown> | null; errors?: GraphQLErrorBody[] };
  return { status: response.status, text, body, challenge: response.headers.get('www-authenticate') };
}

function asPersona(persona: Persona): string | undefined {
  const token = tokens.get(persona);
  return token === undefined ? undefined : `Bearer ${token}`;
}

/** Reads the bird strikes of the source file, numbered from 1 in file order, that match `where`. */
async function sourceRows(where = 'true'): Promise<SourceRow[]> {
  const rows = await sql.rows(
    'SELECT id, operator, date, costTotal, costRepair, costOther FROM (' +
      'SELECT row_number() OVER () AS id, "Aircraft Airline Operator" AS operator, "Flight Date" AS date, ' +
      'CAST(CAST("Cost Total $" AS BIGINT) AS VARCHAR) AS costTotal, CAST(CAST("Cost Repair" AS BIGINT) AS VARCHAR) AS costRepair, ' +
      'CAST(CAST("Cost Other" AS BIGINT) AS VARCHAR) AS costOther ' +
      `FROM read_csv({birdstrikes}, all_varchar = true, header = true)) WHERE ${where} ORDER BY id`,
  );
  return rows.map((row) => ({ ...(row as unknown as SourceRow), id: Number(row.id) }));
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Applies the field's mask rule of `subgraphs/lake/schema.graphql` to a raw value. */
function maskedValue(field: keyof Omit<SourceRow, 'id'>, raw: string | null): string | null {
  if (raw === null) return null;
  switch (field) {
    case 'operator':
      return sha256Hex(raw);
    case 'date':
      return `${raw.slice(0, 4)}-01-01`;
    case 'costOther':
      return null;
    default:
      return '0';
  }
}

function mayUnmask(persona: Persona, field: string): boolean {
  return UNMASKED_TAGS[persona].includes(FIELD_TAGS[field]);
}

describe('authentication at the gateway', () => {
  const query = '{ birdstrikes(first: 1) { nodes { id } } }';

  async function signed(payload: JWTPayload, edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt): Promise<string> {
    const keys = await ensureDevKeys(mesh.dataDir);
    const key = await importJWK(keys.privateJwk, DEV_KEY_ALGORITHM);
    const jwt = new SignJWT({ sub: 'persona-analyst', roles: ['analyst'], ...payload }).setProtectedHeader({ alg: DEV_KEY_ALGORITHM, kid: keys.privateJwk.kid });
    return edit(jwt.setIssuedAt()).sign(key);
  }

  const now = () => Math.floor(Date.now() / 1000);

  it('accepts no token as anonymous with masked values', async () => {
    const { status, body } = await post('{ birdstrike(id: 1) { id operator } }');
    const [row] = await sourceRows('id = 1');

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ birdstrike: { id: 1, operator: sha256Hex(row.operator as string) } });
  });

  it('accepts a valid persona token', async () => {
    const { status, body } = await post(query, asPersona('auditor'));

    expect(status).toBe(200);
    expect(body.data).toEqual({ birdstrikes: { nodes: [{ id: 1 }] } });
  });

  const invalid: Array<[string, () => Promise<string>, string]> = [
    ['expired', () => signed({}, (jwt) => jwt.setIssuer('meshgate-dev').setAudience('meshgate').setExpirationTime(now() - 3600)), 'exp'],
    ['not yet valid', () => signed({}, (jwt) => jwt.setIssuer('meshgate-dev').setAudience('meshgate').setNotBefore(now() + 3600).setExpirationTime(now() + 7200)), 'nbf'],
    ['wrong issuer', () => signed({}, (jwt) => jwt.setIssuer('someone-else').setAudience('meshgate').setExpirationTime('1h')), 'iss'],
    ['wrong audience', () => signed({}, (jwt) => jwt.setIssuer('meshgate-dev').setAudience('another-api').setExpirationTime('1h')), 'aud'],
    ['alg none', async () => unsignedToken(), 'alg'],
    ['unknown key', () => signedWithUnknownKey(), 'kid'],
    ['tampered payload', async () => tampered(await issueDevToken('analyst', tokenOptions())), 'signature'],
  ];

  it.each(invalid)('rejects a token that is %s with 401', async (_case, token, check) => {
    const { status, body, challenge } = await post(query, `Bearer ${await token()}`);

    expect(status).toBe(401);
    expect(challenge).toBe('Bearer error="invalid_token"');
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(body.errors?.[0]?.extensions?.check).toBe(check);
  });

  it('rejects a header that is not a bearer token', async () => {
    const { status, body } = await post(query, 'Basic dXNlcjpwYXNz');

    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toBe('Invalid Authorization header: expected "Bearer <token>" with a compact JWT');
  });
});

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function unsignedToken(): string {
  const claims = { sub: 'persona-auditor', roles: ['auditor'], iss: 'meshgate-dev', aud: 'meshgate', exp: Math.floor(Date.now() / 1000) + 3600 };
  return `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
}

async function signedWithUnknownKey(): Promise<string> {
  const { privateKey } = await generateKeyPair(DEV_KEY_ALGORITHM);
  return new SignJWT({ sub: 'persona-auditor', roles: ['auditor'] })
    .setProtectedHeader({ alg: DEV_KEY_ALGORITHM, kid: 'not-in-the-key-set' })
    .setIssuer('meshgate-dev')
    .setAudience('meshgate')
    .setExpirationTime('1h')
    .sign(privateKey);
}

/** Swaps the payload of a token for the auditor's claims and keeps the original signature. */
function tampered(token: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${base64url({ ...claims, roles: ['auditor'] })}.${signature}`;
}

describe('masking through the gateway', () => {
  /** Raw values of the fields a persona may not unmask that would stand out in a response. */
  async function leakableValues(persona: Persona): Promise<Set<string>> {
    const rows = await sourceRows();
    const unmaskedText = await unmaskedColumnValues();
    const values = new Set<string>();
    for (const row of rows) {
      for (const field of Object.keys(FIELD_TAGS) as Array<keyof Omit<SourceRow, 'id'>>) {
        const raw = row[field];
        if (mayUnmask(persona, field) || raw === null) continue;
        if (raw === maskedValue(field, raw) || unmaskedText.has(raw)) continue;
        values.add(raw);
      }
    }
    return values;
  }

  /** Texts of the unmasked columns, so that a value they share with a masked one is no leak. */
  async function unmaskedColumnValues(): Promise<Set<string>> {
    const rows = await sql.rows(
      'SELECT DISTINCT v FROM (SELECT unnest(["Airport Name", "Aircraft Make Model", "Effect Amount of damage", "Origin State", ' +
        '"Phase of flight", "Wildlife Size", "Wildlife Species", "Time of day", "Speed IAS in knots"]) AS v ' +
        'FROM read_csv({birdstrikes}, all_varchar = true, header = true)) WHERE v IS NOT NULL',
    );
    return new Set(rows.map((row) => String(row.v)));
  }

  function stringLeaves(value: unknown, into: string[] = []): string[] {
    if (typeof value === 'string') into.push(value);
    else if (Array.isArray(value)) for (const item of value) stringLeaves(item, into);
    else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) stringLeaves(item, into);
    return into;
  }

  it('leaks no raw value of a masked field', async () => {
    const queries = leakQueries();
    let responses = 0;
    let valuesChecked = 0;
    const leaks: string[] = [];
    const wronglyAccepted: string[] = [];

    for (const persona of PERSONAS) {
      const leakable = await leakableValues(persona);
      if (leakable.size === 0) continue;
      for (const leakQuery of queries) {
        const { status, text, body } = await post(leakQuery.query, asPersona(persona), leakQuery.variables);
        responses += 1;
        valuesChecked += leakable.size;
        const mustReject = leakQuery.probes.some((coordinate) => !mayUnmask(persona, coordinate.split('.')[1]) && persona !== 'auditor');
        if (mustReject && (status === 200 || body.errors?.[0]?.extensions?.code !== 'MASKED_FIELD_ARGUMENT')) {
          wronglyAccepted.push(`${persona} ${leakQuery.name}`);
        }
        for (const leaf of stringLeaves(body)) {
          if (leakable.has(leaf)) leaks.push(`${persona} ${leakQuery.name}: ${leaf}`);
        }
        for (const raw of leakable) {
          if (raw.length >= 4 && text.includes(raw) && !stringLeaves(body).some((leaf) => leakable.has(leaf))) {
            const inMessage = (body.errors ?? []).some((error) => error.message.includes(raw));
            if (inMessage) leaks.push(`${persona} ${leakQuery.name}: message quotes ${raw}`);
          }
        }
      }
    }

    console.log(`leak test: ${responses} responses of ${queries.length} queries, ${valuesChecked} raw values looked for`);
    expect(responses).toBeGreaterThanOrEqual(queries.length * 4);
    expect(leaks).toEqual([]);
    expect(wronglyAccepted).toEqual([]);
  });

  it.each(PERSONAS)('shows %s each masked field raw or by its rule', async (persona) => {
    const { status, body } = await post(`{ birdstrikes(first: 100) { nodes { id ${Object.keys(FIELD_TAGS).join(' ')} } } }`, asPersona(persona));
    const rows = await sourceRows('id <= 100');
    const expected = rows.map((row) => {
      const node: Record<string, unknown> = { id: row.id };
      for (const field of Object.keys(FIELD_TAGS) as Array<keyof Omit<SourceRow, 'id'>>) {
        node[field] = mayUnmask(persona, field) ? row[field] : maskedValue(field, row[field]);
      }
      return node;
    });

    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({ birdstrikes: { nodes: expected } });
  });

  it('lets the auditor filter and group by masked fields', async () => {
    const { body } = await post(
      '{ birdstrikesAggregate(groupBy: [operator], where: { costTotal: { gt: "100000" } }, first: 400) { key { operator } count } }',
      asPersona('auditor'),
    );
    const rows = await sql.rows(
      'SELECT "Aircraft Airline Operator" AS operator, count(*) AS n FROM read_csv({birdstrikes}, all_varchar = true, header = true) ' +
        'WHERE CAST("Cost Total $" AS BIGINT) > 100000 GROUP BY 1',
    );
    const groups = (body.data?.birdstrikesAggregate ?? []) as Array<{ key: { operator: string | null }; count: number }>;
    const expected = new Map<unknown, number>(rows.map((row) => [row.operator, Number(row.n)]));

    expect(body.errors).toBeUndefined();
    expect(new Map<unknown, number>(groups.map((group) => [group.key.operator, group.count]))).toEqual(expected);
  });

  it('applies a changed policy without a restart', async () => {
    const query = '{ birdstrike(id: 1) { operator } }';
    const [row] = await sourceRows('id = 1');
    const before = await post(query, asPersona('auditor'));
    writeFileSync(
      path.join(policiesDir, 'zz-test-forbid.cedar'),
      '@id("test-forbid-operator")\nforbid (principal, action == MeshGate::Action::"unmask", resource)\nwhen { resource.tags.contains("confidential") };\n',
    );

    const after = await pollUntil(() => post(query, asPersona('auditor')), (response) => response.body.data?.birdstrike !== undefined && JSON.stringify(response.body.data) !== JSON.stringify(before.body.data));

    expect(before.body.data).toEqual({ birdstrike: { operator: row.operator } });
    expect(after.body.data).toEqual({ birdstrike: { operator: sha256Hex(row.operator as string) } });
  });
});

/** Repeats `request` until `done` holds, for at most 50 tries 100 ms apart; returns the last response. */
async function pollUntil<T>(request: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await request();
  for (let attempt = 0; attempt < 50 && !done(value); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await request();
  }
  return value;
}
