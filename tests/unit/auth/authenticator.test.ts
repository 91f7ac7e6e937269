import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { GraphQLError } from 'graphql';
import { createAuthenticator, type Authenticator } from '../../../gateway/auth/index.js';
import { memoryLogger } from '../policy/policyFolderFixture.js';

const ISSUER = 'https://issuer.test';
const AUDIENCE = 'meshgate';

interface Key {
  privateKey: KeyLike;
  publicJwk: JWK;
  alg: string;
  kid: string;
}

async function makeKey(alg: 'RS256' | 'ES256', kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg }, alg, kid };
}

function sign(key: Key, claims: Record<string, unknown>, edit: (jwt: SignJWT) => SignJWT = (jwt) => jwt): Promise<string> {
  const base = new SignJWT(claims).setProtectedHeader({ alg: key.alg, kid: key.kid }).setIssuer(ISSUER).setAudience(AUDIENCE).setIssuedAt().setExpirationTime('5m');
  return edit(base).sign(key.privateKey);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function rejection(authenticator: Authenticator, header: string): Promise<GraphQLError> {
  try {
    await authenticator.authenticate(header);
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error('authenticate resolved');
}

describe('createAuthenticator with a JWKS URL', () => {
  let server: Server;
  let rsaKey: Key;
  let ecKey: Key;
  let strangerKey: Key;
  let authenticator: Authenticator;

  beforeAll(async () => {
    rsaKey = await makeKey('RS256', 'rsa-1');
    ecKey = await makeKey('ES256', 'ec-1');
    strangerKey = await makeKey('ES256', 'stranger');
    server = createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [rsaKey.publicJwk, ecKey.publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    authenticator = createAuthenticator({
      jwksUrl: `http://127.0.0.1:${port}/jwks.json`,
      issuer: ISSUER,
      audience: AUDIENCE,
      claimsToAttributes: { roles: 'roles', clearance: 'clearance', department: 'org.department' },
      clockToleranceSeconds: 5,
      logger: memoryLogger().logger,
    });
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('returns the anonymous principal without a header', async () => {
    await expect(authenticator.authenticate(undefined)).resolves.toEqual({ id: 'anonymous', attributes: {} });
  });

  it('maps the claims of an RS256 token to attributes', async () => {
    const token = await sign(rsaKey, { sub: 'alice', roles: ['finance'], clearance: 3, org: { department: 'finance' }, email: 'a@x' });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({
      id: 'alice',
      attributes: { roles: ['finance'], clearance: 3, department: 'finance' },
    });
  });

  it('accepts an ES256 token', async () => {
    const token = await sign(ecKey, { sub: 'bob' });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({ id: 'bob', attributes: {} });
  });

  const now = () => Math.floor(Date.now() / 1000);
  const cases: Array<[string, () => Promise<string>, string, string]> = [
    ['a non-Bearer scheme', async () => `Basic ${Buffer.from('a:b').toString('base64')}`, 'header', 'Invalid Authorization header: expected "Bearer <token>" with a compact JWT'],
    ['a Bearer header without a JWT', async () => 'Bearer not-a-jwt', 'header', 'Invalid Authorization header: expected "Bearer <token>" with a compact JWT'],
    ['an alg none token', async () => `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'eve', iss: ISSUER, aud: AUDIENCE })}.`, 'alg', 'Invalid token: unsigned tokens (alg "none") are not accepted.'],
    ['a bad signature', async () => {
      const [header, payload] = (await sign(ecKey, { sub: 'eve' })).split('.');
      const [, , signature] = (await sign(ecKey, { sub: 'other' })).split('.');
      return `Bearer ${header}.${payload}.${signature}`;
    }, 'signature', 'Invalid token: signature verification failed.'],
    ['an expired token', async () => `Bearer ${await sign(rsaKey, { sub: 'eve' }, (jwt) => jwt.setExpirationTime(now() - 60))}`, 'exp', 'Invalid token: the token has expired ("exp" is in the past).'],
    ['a token not yet valid', async () => `Bearer ${await sign(rsaKey, { sub: 'eve' }, (jwt) => jwt.setNotBefore(now() + 600))}`, 'nbf', 'Invalid token: the token is not yet valid ("nbf" is in the future).'],
    ['a wrong issuer', async () => `Bearer ${await sign(rsaKey, { sub: 'eve' }, (jwt) => jwt.setIssuer('https://evil.test'))}`, 'iss', 'Invalid token: the "iss" claim is not the expected issuer https://issuer.test.'],
    ['a wrong audience', async () => `Bearer ${await sign(rsaKey, { sub: 'eve' }, (jwt) => jwt.setAudience('other'))}`, 'aud', 'Invalid token: the "aud" claim does not contain the expected audience meshgate.'],
    ['an unknown kid', async () => `Bearer ${await sign(strangerKey, { sub: 'eve' })}`, 'kid', 'Invalid token: no key of the JSON Web Key Set matches the token\'s "kid".'],
    ['a token without sub', async () => `Bearer ${await sign(rsaKey, { roles: ['x'] })}`, 'sub', 'Invalid token: the "sub" claim is missing.'],
  ];

  it.each(cases)('rejects %s with 401', async (_name, header, check, message) => {
    const error = await rejection(authenticator, await header());
    expect(error.message).toBe(message);
    const { http, ...extensions } = error.extensions as { http: { status: number; headers: Map<string, string> } };
    expect(extensions).toEqual({ code: 'UNAUTHENTICATED', check });
    expect(http.status).toBe(401);
    expect(http.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('keeps the token out of the error message', async () => {
    const token = await sign(rsaKey, { sub: 'eve', roles: ['secret-role'] }, (jwt) => jwt.setAudience('other'));
    const error = await rejection(authenticator, `Bearer ${token}`);
    expect(JSON.stringify({ message: error.message, extensions: error.extensions })).not.toMatch(/secret-role|eve|eyJ/);
  });
});

describe('createAuthenticator with an unreachable JWKS URL', () => {
  it('rejects with AUTH_KEYS_UNAVAILABLE and 503', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));

    const key = await makeKey('ES256', 'k');
    const authenticator = createAuthenticator({ jwksUrl: `http://127.0.0.1:${port}/jwks.json`, issuer: ISSUER, audience: AUDIENCE, logger: memoryLogger().logger });
    const error = await rejection(authenticator, `Bearer ${await sign(key, { sub: 'a' })}`);
    expect(error.extensions).toEqual({ code: 'AUTH_KEYS_UNAVAILABLE', http: { status: 503 } });
  });
});
