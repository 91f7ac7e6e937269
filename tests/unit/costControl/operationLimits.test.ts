import { getOperationAST, parse, type GraphQLError } from 'graphql';

import type { LimitsSection } from '../../../core/config/sections/cost.js';
import { checkOperationLimits } from '../../../gateway/costControl/index.js';

/** Limits far above every test document, so that only the limit a test lowers can reject it. */
const GENEROUS: LimitsSection = { maxDepth: 100, maxAliases: 100, maxRootFields: 100, maxTokens: 10_000, maxDocumentBytes: 100_000 };

function check(source: string, limits: Partial<LimitsSection>): GraphQLError | undefined {
  const document = parse(source);
  const operation = getOperationAST(document);
  if (!operation) throw new Error(`test document has no single operation: ${source}`);
  return checkOperationLimits({ ...GENEROUS, ...limits }, source, document, operation);
}

describe('checkOperationLimits: depth', () => {
  // Root field a is depth 1, b depth 2, c depth 3.
  const cases: Array<[string, string]> = [
    ['plain fields', '{ a { b { c } } }'],
    ['a named fragment', '{ a { ...F } } fragment F on A { b { c } }'],
    ['an inline fragment', '{ a { ... on A { b { c } } } }'],
    ['a fragment inside an inline fragment', '{ ... on Query { a { ...F } } } fragment F on A { ... on A { b { c } } }'],
  ];

  it.each(cases)('allows depth 3 at a limit of 3 through %s', (_shape, source) => {
    expect(check(source, { maxDepth: 3 })).toBeUndefined();
  });

  it.each(cases)('rejects depth 3 at a limit of 2 through %s', (_shape, source) => {
    const error = check(source, { maxDepth: 2 });
    expect(error?.message).toBe('The operation has a depth of 3, above the limit of 2.');
    expect(error?.extensions.code).toBe('MAX_DEPTH_EXCEEDED');
    expect(error?.extensions.limit).toBe(2);
    expect(error?.extensions.found).toBe(3);
  });

  it('counts a lone root field as depth 1', () => {
    expect(check('{ a }', { maxDepth: 1 })).toBeUndefined();
  });

  it('takes the deepest of sibling branches', () => {
    // x is depth 2 while a { b { c } } reaches 3.
    const error = check('{ x { y } a { b { c } } }', { maxDepth: 2 });
    expect(error?.extensions.found).toBe(3);
  });
});

describe('checkOperationLimits: aliases', () => {
  // Two aliases in the operation and one in the fragment.
  const source = '{ x: a y: a ...F } fragment F on Query { z: b c }';

  it('allows 3 aliases at a limit of 3', () => {
    expect(check(source, { maxAliases: 3 })).toBeUndefined();
  });

  it('rejects 3 aliases at a limit of 2', () => {
    const error = check(source, { maxAliases: 2 });
    expect(error?.message).toBe('The operation has 3 aliases, above the limit of 2.');
    expect(error?.extensions.code).toBe('MAX_ALIASES_EXCEEDED');
    expect(error?.extensions.limit).toBe(2);
    expect(error?.extensions.found).toBe(3);
  });

  it('counts nested aliases', () => {
    // x and y at the root, inner and deeper below them.
    const error = check('{ x: a { inner: b { deeper: c } } y: d }', { maxAliases: 3 });
    expect(error?.extensions.found).toBe(4);
  });
});

describe('checkOperationLimits: root fields', () => {
  // a and b directly, c through a named fragment, d through an inline fragment.
  const source = '{ a b ...F ... on Query { d } } fragment F on Query { c }';

  it('allows 4 root fields at a limit of 4', () => {
    expect(check(source, { maxRootFields: 4 })).toBeUndefined();
  });

  it('rejects 4 root fields at a limit of 3', () => {
    const error = check(source, { maxRootFields: 3 });
    expect(error?.message).toBe('The operation has 4 root fields, above the limit of 3.');
    expect(error?.extensions.code).toBe('MAX_ROOT_FIELDS_EXCEEDED');
    expect(error?.extensions.limit).toBe(3);
    expect(error?.extensions.found).toBe(4);
  });

  it('does not count nested fields as root fields', () => {
    expect(check('{ a { b c d } }', { maxRootFields: 1 })).toBeUndefined();
  });
});

describe('checkOperationLimits: tokens', () => {
  // Tokens: query Q ( $ n : Int ) { a ( s : "é" t : $ n ) } = 20. Commas and comments are ignored
  // tokens in GraphQL, so they are not counted.
  const source = 'query Q($n: Int) { a(s: "é", t: $n) } # trailing comment';

  it('allows 20 tokens at a limit of 20', () => {
    expect(check(source, { maxTokens: 20 })).toBeUndefined();
  });

  it('rejects 20 tokens at a limit of 19', () => {
    const error = check(source, { maxTokens: 19 });
    expect(error?.message).toBe('The operation has 20 tokens, above the limit of 19.');
    expect(error?.extensions.code).toBe('MAX_TOKENS_EXCEEDED');
    expect(error?.extensions.limit).toBe(19);
    expect(error?.extensions.found).toBe(20);
  });
});

describe('checkOperationLimits: document size', () => {
  // `{ a(s: "` and `") }` are 12 ASCII bytes; é is 2 bytes in UTF-8, € 3 and 😀 4: 21 bytes in all,
  // while the string has 16 UTF-16 code units.
  const source = '{ a(s: "é€😀") }';

  it('measures the document in UTF-8 bytes', () => {
    expect(source).toHaveLength(16);
    expect(check(source, { maxDocumentBytes: 21 })).toBeUndefined();
  });

  it('rejects 21 bytes at a limit of 20', () => {
    const error = check(source, { maxDocumentBytes: 20 });
    expect(error?.message).toBe('The operation has 21 bytes, above the limit of 20.');
    expect(error?.extensions.code).toBe('MAX_DOCUMENT_SIZE_EXCEEDED');
    expect(error?.extensions.limit).toBe(20);
    expect(error?.extensions.found).toBe(21);
  });

  it('sets HTTP status 400 on a limit error', () => {
    const error = check(source, { maxDocumentBytes: 20 });
    expect(error?.extensions.http).toEqual({ status: 400 });
  });
});
