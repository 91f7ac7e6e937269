import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { HeaderMap } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import { errors } from '../../core/errors/index.js';
import { createLogger, type Logger } from '../../core/logger.js';
import type { Principal } from '../policy/types.js';
import { claimsToPrincipal, DEFAULT_CLAIMS_TO_ATTRIBUTES } from './claims.js';

export interface AuthenticatorOptions {
  /** URL of the identity provider's JSON Web Key Set; fetched and cached by kid. */
  jwksUrl?: string;
  /** File holding a JSON Web Key Set; read once at creation. */
  jwksFile?: string;
  issuer: string;
  audience: string;
  /** Principal attribute → claim path; default maps roles, department, clearance, region, purpose, organization. */
  claimsToAttributes?: Record<string, string>;
  /** Allowed clock difference for `exp` and `nbf`, in seconds; default 30. */
  clockToleranceSeconds?: number;
  /** Signature algorithms a token may use; default RS256, PS256, ES256, ES384, EdDSA. */
  algorithms?: string[];
  logger?: Logger;
}

export interface Authenticator {
  /**
   * Verifies the bearer token of an `Authorization` header. No header gives the anonymous principal.
   *
   * @throws GraphQLError UNAUTHENTICATED (401) naming the failed check, AUTH_KEYS_UNAVAILABLE (503)
   *   when the key set cannot be fetched.
   */
  authenticate(authorizationHeader: string | undefined): Promise<Principal>;
}

const DEFAULT_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/i;

/**
 * Creates the JWT authenticator of the gateway with `jose`. Exactly one of `jwksUrl` and `jwksFile`
 * is required. Unsigned (`alg: none`) tokens and algorithms outside `algorithms` are rejected.
 *
 * @throws Error naming the option when the options are invalid or the JWKS file is unreadable.
 */
export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const keys = keySetOf(options);
  const algorithms = options.algorithms ?? DEFAULT_ALGORITHMS;
  const claimsToAttributes = options.claimsToAttributes ?? DEFAULT_CLAIMS_TO_ATTRIBUTES;
  const logger = (options.logger ?? createLogger()).child({ component: 'authenticator' });
  const verifyOptions = {
    issuer: options.issuer,
    audience: options.audience,
    algorithms,
    clockTolerance: options.clockToleranceSeconds ?? 30,
  };

  return {
    async authenticate(header) {
      if (header === undefined) return claimsToPrincipal(null);

      const token = bearerToken(header);
      rejectUnsignedToken(token, algorithms);
      try {
        const { payload } = await jwtVerify(token, keys, verifyOptions);
        if (typeof payload.sub !== 'string' || payload.sub === '') throw unauthenticated('sub', 'the "sub" claim is missing');
        return claimsToPrincipal(payload as Record<string, unknown>, claimsToAttributes);
      } catch (error) {
        throw toAuthError(error, options, logger);
      }
    },
  };
}

function keySetOf(options: AuthenticatorOptions): JWTVerifyGetKey {
  if ((options.jwksUrl === undefined) === (options.jwksFile === undefined)) {
    throw new Error('auth: set exactly one of jwksUrl and jwksFile');
  }
  if (options.jwksUrl !== undefined) return createRemoteJWKSet(new URL(options.jwksUrl));

  let jwks: JSONWebKeySet;
  try {
    jwks = JSON.parse(readFileSync(options.jwksFile as string, 'utf8')) as JSONWebKeySet;
  } catch (error) {
    throw new Error(`auth.jwksFile: cannot read a JSON Web Key Set from ${options.jwksFile}: ${(error as Error).message}`, { cause: error });
  }
  return createLocalJWKSet(jwks);
}

function bearerToken(header: string): string {
  const match = BEARER.exec(header.trim());
  if (match === null) throw unauthenticated('header', 'Invalid Authorization header: expected "Bearer <token>" with a compact JWT');
  return match[1];
}

function rejectUnsignedToken(token: string, algorithms: string[]): void {
  let alg: unknown;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw unauthenticated('format', 'the token header is not valid base64url JSON');
  }
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') throw unauthenticated('alg', 'unsigned tokens (alg "none") are not accepted');
  if (!algorithms.includes(alg)) throw unauthenticated('alg', `algorithm "${alg}" is not accepted; accepted: ${algorithms.join(', ')}`);
}

function unauthenticated(check: string, reason: string): GraphQLError {
  const message = reason.startsWith('Invalid ') ? reason : `Invalid token: ${reason}.`;
  const error = errors.UNAUTHENTICATED.error(message, { check });
  // RFC 6750 section 3: a 401 names the authentication scheme and the error in WWW-Authenticate.
  const headers = new HeaderMap([['www-authenticate', 'Bearer error="invalid_token"']]);
  (error.extensions as { http?: { status: number; headers?: HeaderMap } }).http = { status: 401, headers };
  return error;
}

/** Maps jose's errors to coded errors; their messages can quote claim values, so none is passed on. */
function toAuthError(error: unknown, options: AuthenticatorOptions, logger: Logger): GraphQLError {
  if (errors.UNAUTHENTICATED.matches(error)) return error as GraphQLError;
  if (error instanceof joseErrors.JWTExpired) return unauthenticated('exp', 'the token has expired ("exp" is in the past)');
  if (error instanceof joseErrors.JWTClaimValidationFailed) return claimError(error.claim, options);
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return unauthenticated('signature', 'signature verification failed');
  if (error instanceof joseErrors.JWKSNoMatchingKey) return unauthenticated('kid', 'no key of the JSON Web Key Set matches the token\'s "kid"');
  if (error instanceof joseErrors.JWKSMultipleMatchingKeys) return unauthenticated('kid', 'several keys of the JSON Web Key Set match the token');
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return unauthenticated('alg', 'the token\'s algorithm is not accepted');
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid || isFetchFailure(error)) {
    logger.error({ jwksUrl: options.jwksUrl, err: error }, 'JSON Web Key Set unavailable');
    return errors.AUTH_KEYS_UNAVAILABLE.error('The keys that verify tokens are unavailable; retry later.');
  }
  if (error instanceof joseErrors.JOSEError) return unauthenticated('format', 'the token is not a well-formed signed JWT');
  logger.error({ err: error }, 'token verification failed unexpectedly');
  return unauthenticated('format', 'the token could not be verified');
}

function claimError(claim: string, options: AuthenticatorOptions): GraphQLError {
  switch (claim) {
    case 'nbf':
      return unauthenticated('nbf', 'the token is not yet valid ("nbf" is in the future)');
    case 'iss':
      return unauthenticated('iss', `the "iss" claim is not the expected issuer ${options.issuer}`);
    case 'aud':
      return unauthenticated('aud', `the "aud" claim does not contain the expected audience ${options.audience}`);
    case 'iat':
      return unauthenticated('iat', 'the "iat" claim is invalid');
    default:
      return unauthenticated(claim, `the "${claim}" claim is invalid`);
  }
}

/** Node system errors (ECONNREFUSED, ENOTFOUND, ...) carry `syscall`; duck typing also works across VM realms. */
function isFetchFailure(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'syscall' in error;
}
