import { createHash } from 'node:crypto';

import { envelop, useEngine, useSchema } from '@envelop/core';
import {
  buildSchema,
  execute,
  parse,
  specifiedRules,
  subscribe,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';

import { createLogger } from '../../../core/logger.js';
import {
  maskDirectiveDefinitions,
  readMaskCatalog,
  useMasking,
  type Action,
  type Decider,
  type FieldResource,
  type Principal,
} from '../../../gateway/masking/index.js';
import { findRawValues } from './findRawValues.js';

const sha = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

const SDL = `${maskDirectiveDefinitions}
interface Person { id: ID! email: String }
type Employee implements Person { id: ID! email: String @mask(rule: EMAIL_MASK) salary: Int @mask(rule: DEFAULT_VALUE) }
type Customer implements Person { id: ID! email: String }
type Flight {
  id: ID!
  origin: String @mask(rule: SHA256) @classify(tags: ["pii"])
  delay: Int @mask(rule: DEFAULT_VALUE)
  cost: Float @mask(rule: NULLIFY)
  cancelled: Boolean! @mask(rule: DEFAULT_VALUE)
  code: String @mask(rule: LAST_FOUR_CHARACTERS)
  manager: String @restricted
}
union SearchResult = Flight | Employee
type FlightAggregateNumbers { cost: Float delay: Int }
type FlightGroupKey { origin: String code: String }
type FlightGroup { key: FlightGroupKey count: Int sum: FlightAggregateNumbers }
input StringFilter { eq: String }
input IntFilter { eq: Int gt: Int }
input FlightFilter { id: StringFilter origin: StringFilter delay: IntFilter and: [FlightFilter!] or: [FlightFilter!] not: FlightFilter }
enum SortDirection { ASC DESC }
input FlightOrderBy { id: SortDirection delay: SortDirection }
enum FlightGroupField { id origin }
type Query {
  flights(where: FlightFilter, orderBy: [FlightOrderBy!]): [Flight!]!
  flightsAggregate(where: FlightFilter, groupBy: [FlightGroupField!]): [FlightGroup!]!
  people: [Person!]!
  search: [SearchResult!]!
  matrix: [[Flight]]
  brokenFlights: [Flight!]!
}`;

const FLIGHTS = [
  { id: '1', origin: 'ORD', delay: 0, cost: 12.5, cancelled: false, code: '', manager: 'Ann Lee' },
  { id: '2', origin: '', delay: 35, cost: 0, cancelled: true, code: 'UA1234567', manager: null },
];
const EMPLOYEE = { __typename: 'Employee', id: 'e1', email: 'ada@example.com', salary: 91000 };
const CUSTOMER = { __typename: 'Customer', id: 'c1', email: 'bob@example.org' };

const rootValue = {
  flights: () => FLIGHTS,
  flightsAggregate: () => [{ key: { origin: 'ORD', code: 'UA1234567' }, count: 1, sum: { cost: 12.5, delay: 35 } }],
  people: () => [EMPLOYEE, CUSTOMER],
  search: () => [{ __typename: 'Flight', ...FLIGHTS[0] }, EMPLOYEE],
  matrix: () => [[FLIGHTS[0], null], [FLIGHTS[1]]],
  brokenFlights: () => [
    {
      ...FLIGHTS[0],
      origin: () => {
        throw new Error('origin ORD failed a check');
      },
    },
  ],
};

/** A role-based decider: auditors may do anything, analysts may filter by Flight.delay only. */
class RoleDecider implements Decider {
  version = 'test-1';
  readonly calls: string[] = [];

  decide(principal: Principal, action: Action, resource: FieldResource): boolean {
    this.calls.push(`${action} ${resource.coordinate}`);
    if (principal.attributes.role === 'auditor') {
      return true;
    }
    return principal.attributes.role === 'analyst' && action === 'filter' && resource.coordinate === 'Flight.delay';
  }
}

const throwingDecider: Decider = {
  version: 'test-1',
  decide: () => {
    throw new Error('policy store unavailable');
  },
};

const schema = buildSchema(SDL);
const catalog = readMaskCatalog(SDL);

async function run(
  query: string,
  role: string,
  options: { decider?: Decider; variables?: Record<string, unknown> } = {},
): Promise<ExecutionResult> {
  const getEnveloped = envelop({
    plugins: [
      useEngine({ parse, validate, execute, subscribe, specifiedRules }),
      useSchema(schema),
      useMasking<{ principal: Principal }>({
        catalog,
        decider: options.decider ?? new RoleDecider(),
        getPrincipal: (context) => context.principal,
        logger: createLogger({ level: 'silent' }),
      }),
    ],
  });
  const enveloped = getEnveloped({ principal: { id: 'u1', attributes: { role } } });
  const document = enveloped.parse(query);
  const validationErrors = enveloped.validate(enveloped.schema, document);
  if (validationErrors.length > 0) {
    throw new Error(validationErrors.map((error: Error) => error.message).join('\n'));
  }
  const contextValue = await enveloped.contextFactory();
  const result = (await enveloped.execute({
    schema: enveloped.schema,
    document,
    rootValue,
    contextValue,
    variableValues: options.variables,
  })) as ExecutionResult;
  return JSON.parse(JSON.stringify(result)) as ExecutionResult;
}

const RAW_VALUES = ['ORD', 'Ann Lee', 'UA1234567', 'ada@example.com', 'ada', 12.5, 35, 91000];

describe('useMasking result masking', () => {
  it('masks each rule on its type', async () => {
    const result = await run('{ flights { id origin delay cost cancelled code } }', 'analyst');
    expect(result.data).toEqual({
      flights: [
        { id: '1', origin: sha('ORD'), delay: 0, cost: null, cancelled: false, code: sha('') },
        { id: '2', origin: sha(''), delay: 0, cost: null, cancelled: false, code: 'XXXXX4567' },
      ],
    });
  });
  it('returns raw values to a permitted caller', async () => {
    const result = await run('{ flights { origin delay cost cancelled code manager } }', 'auditor');
    expect(result).toEqual({
      data: {
        flights: [
          { origin: 'ORD', delay: 0, cost: 12.5, cancelled: false, code: '', manager: 'Ann Lee' },
          { origin: '', delay: 35, cost: 0, cancelled: true, code: 'UA1234567', manager: null },
        ],
      },
    });
  });
  it('masks aliased fields', async () => {
    const result = await run('{ flights { from: origin late: delay } }', 'analyst');
    expect(result.data).toEqual({ flights: [{ from: sha('ORD'), late: 0 }, { from: sha(''), late: 0 }] });
  });
  it('masks fields in named and inline fragments', async () => {
    const result = await run(
      '{ flights { ...Cost ... on Flight { code } } } fragment Cost on Flight { cost origin }',
      'analyst',
    );
    expect(result.data).toEqual({
      flights: [
        { cost: null, origin: sha('ORD'), code: sha('') },
        { cost: null, origin: sha(''), code: 'XXXXX4567' },
      ],
    });
  });
  it('masks inside nested lists', async () => {
    const result = await run('{ matrix { origin } }', 'analyst');
    expect(result.data).toEqual({ matrix: [[{ origin: sha('ORD') }, null], [{ origin: sha('') }]] });
  });
  it('masks one implementation through an interface', async () => {
    const result = await run('{ people { id email } }', 'analyst');
    expect(result.data).toEqual({
      people: [
        { id: 'e1', email: 'XXXXX@example.com' },
        { id: 'c1', email: 'bob@example.org' },
      ],
    });
  });
  it('masks members of a union', async () => {
    const result = await run('{ search { ... on Flight { origin } ... on Employee { salary email } } }', 'analyst');
    expect(result.data).toEqual({ search: [{ origin: sha('ORD') }, { salary: 0, email: 'XXXXX@example.com' }] });
  });
  it('keeps a requested __typename', async () => {
    const result = await run('{ people { __typename } }', 'analyst');
    expect(result.data).toEqual({ people: [{ __typename: 'Employee' }, { __typename: 'Customer' }] });
  });
  it('masks when the decider throws', async () => {
    const result = await run('{ flights { origin } }', 'auditor', { decider: throwingDecider });
    expect(result.data).toEqual({ flights: [{ origin: sha('ORD') }, { origin: sha('') }] });
  });
  it('decides once per coordinate and action', async () => {
    const decider = new RoleDecider();
    await run('{ flights { origin o2: origin } matrix { origin } }', 'analyst', { decider });
    expect(decider.calls).toEqual(['unmask Flight.origin']);
  });
});

describe('useMasking restricted fields', () => {
  it('nulls a denied field with FORBIDDEN at its path', async () => {
    const result = await run('{ flights { id manager } }', 'analyst');
    expect(result.data).toEqual({ flights: [{ id: '1', manager: null }, { id: '2', manager: null }] });
    expect(result.errors).toEqual([
      {
        message: 'Not permitted to read field Flight.manager.',
        path: ['flights', 0, 'manager'],
        extensions: { coordinate: 'Flight.manager', code: 'FORBIDDEN', http: { status: 403 } },
      },
      {
        message: 'Not permitted to read field Flight.manager.',
        path: ['flights', 1, 'manager'],
        extensions: { coordinate: 'Flight.manager', code: 'FORBIDDEN', http: { status: 403 } },
      },
    ]);
  });
  it('withholds an error message of a masked field', async () => {
    const result = await run('{ brokenFlights { id origin } }', 'analyst');
    expect(result.errors?.[0]?.message).toBe(
      'Field Flight.origin failed; its error message is withheld because the field is masked.',
    );
    expect(result.errors?.[0]?.path).toEqual(['brokenFlights', 0, 'origin']);
  });
});

describe('useMasking argument probing', () => {
  const rejection = (coordinate: string, usage: string): object => ({
    message: `Cannot filter, order, group or aggregate by masked field ${coordinate}, used in ${usage}: the caller may not unmask it.`,
    extensions: { coordinate, code: 'MASKED_FIELD_ARGUMENT', http: { status: 403 } },
  });

  it('rejects a filter on a masked field', async () => {
    const result = await run('{ flights(where: { origin: { eq: "ORD" } }) { id } }', 'analyst');
    expect(result).toEqual({ errors: [rejection('Flight.origin', 'argument "where" of Query.flights')] });
  });
  it('rejects a filter nested in or', async () => {
    const result = await run('{ flights(where: { or: [{ id: { eq: "1" } }, { not: { origin: { eq: "" } } }] }) { id } }', 'analyst');
    expect(result.errors?.map((error) => error.extensions?.coordinate)).toEqual(['Flight.origin']);
  });
  it('rejects a filter passed as a variable', async () => {
    const result = await run('query($w: FlightFilter) { flights(where: $w) { id } }', 'guest', {
      variables: { w: { and: [{ delay: { gt: 30 } }] } },
    });
    expect(result.errors?.map((error) => error.extensions?.coordinate)).toEqual(['Flight.delay']);
  });
  it('rejects ordering by a masked field', async () => {
    const result = await run('{ flights(orderBy: [{ id: ASC }, { delay: DESC }]) { id } }', 'guest');
    expect(result).toEqual({ errors: [rejection('Flight.delay', 'argument "orderBy" of Query.flights')] });
  });
  it('rejects grouping by a masked field', async () => {
    const result = await run('{ flightsAggregate(groupBy: [origin]) { count } }', 'analyst');
    expect(result).toEqual({ errors: [rejection('Flight.origin', 'argument "groupBy" of Query.flightsAggregate')] });
  });
  it('rejects aggregating a masked field', async () => {
    const result = await run('{ flightsAggregate { sum { cost } } }', 'analyst');
    expect(result).toEqual({ errors: [rejection('Flight.cost', 'the selection of FlightAggregateNumbers.cost')] });
  });
  it('rejects a masked group key', async () => {
    const result = await run('{ flightsAggregate { key { code } } }', 'analyst');
    expect(result.errors?.map((error) => error.extensions?.coordinate)).toEqual(['Flight.code']);
  });
  it('allows a filter the policy permits', async () => {
    const result = await run('{ flights(where: { delay: { gt: 30 } }, orderBy: [{ delay: ASC }]) { id } }', 'analyst');
    expect(result).toEqual({ data: { flights: [{ id: '1' }, { id: '2' }] } });
  });
  it('allows ungoverned filters and groups', async () => {
    const result = await run('{ flightsAggregate(where: { id: { eq: "1" } }, groupBy: [id]) { count } }', 'guest');
    expect(result).toEqual({ data: { flightsAggregate: [{ count: 1 }] } });
  });
  it('allows every filter to an unmasking caller', async () => {
    const result = await run('{ flightsAggregate(groupBy: [origin]) { key { origin } sum { cost } } }', 'auditor');
    expect(result).toEqual({ data: { flightsAggregate: [{ key: { origin: 'ORD' }, sum: { cost: 12.5 } }] } });
  });
  it('rejects the reserved typename alias', async () => {
    const result = await run('{ flights { __meshgateTypename: id } }', 'auditor');
    expect(result.errors?.[0]?.message).toBe('The alias __meshgateTypename is reserved by the gateway; choose another alias.');
  });
});

describe('useMasking per-document cache', () => {
  const executedDocuments: DocumentNode[] = [];
  const recordingExecute = (args: ExecutionArgs) => {
    executedDocuments.push(args.document);
    return execute(args);
  };
  const getEnveloped = envelop({
    plugins: [
      useEngine({ parse, validate, execute: recordingExecute, subscribe, specifiedRules }),
      useSchema(schema),
      useMasking<{ principal: Principal }>({
        catalog,
        decider: new RoleDecider(),
        getPrincipal: (context) => context.principal,
        logger: createLogger({ level: 'silent' }),
      }),
    ],
  });

  /** Runs an already parsed document, so that every request hands the plugin the same document object. */
  async function runDocument(document: DocumentNode, role: string, variables?: Record<string, unknown>): Promise<ExecutionResult> {
    const enveloped = getEnveloped({ principal: { id: 'u1', attributes: { role } } });
    const result = (await enveloped.execute({
      schema: enveloped.schema,
      document,
      rootValue,
      contextValue: await enveloped.contextFactory(),
      variableValues: variables,
    })) as ExecutionResult;
    return JSON.parse(JSON.stringify(result)) as ExecutionResult;
  }

  it('masks by each caller on one document', async () => {
    const document = parse('{ flights { origin } }');
    const masked = { flights: [{ origin: sha('ORD') }, { origin: sha('') }] };
    expect((await runDocument(document, 'analyst')).data).toEqual(masked);
    expect((await runDocument(document, 'auditor')).data).toEqual({ flights: [{ origin: 'ORD' }, { origin: '' }] });
    expect((await runDocument(document, 'analyst')).data).toEqual(masked);
  });
  it('probes the variables of every request', async () => {
    const document = parse('query($w: FlightFilter) { flights(where: $w) { id } }');
    const allowed = await runDocument(document, 'guest', { w: { id: { eq: '1' } } });
    const rejected = await runDocument(document, 'guest', { w: { origin: { eq: 'ORD' } } });
    const allowedAgain = await runDocument(document, 'guest', { w: { id: { eq: '1' } } });
    expect(allowed.errors).toBeUndefined();
    expect(rejected.errors?.map((error) => error.extensions?.coordinate)).toEqual(['Flight.origin']);
    expect(allowedAgain.errors).toBeUndefined();
  });
  it('denies by each caller on one document', async () => {
    const document = parse('{ flights { manager } }');
    const auditor = await runDocument(document, 'auditor');
    const analyst = await runDocument(document, 'analyst');
    expect(auditor).toEqual({ data: { flights: [{ manager: 'Ann Lee' }, { manager: null }] } });
    expect(analyst.errors?.map((error) => error.path)).toEqual([
      ['flights', 0, 'manager'],
      ['flights', 1, 'manager'],
    ]);
  });
  it('executes one rewritten document per input document', async () => {
    const document = parse('{ people { id email } }');
    executedDocuments.length = 0;
    await runDocument(document, 'analyst');
    const second = await runDocument(document, 'analyst');
    expect(executedDocuments).toHaveLength(2);
    expect(executedDocuments[0]).not.toBe(document);
    expect(executedDocuments[1]).toBe(executedDocuments[0]);
    expect(second.data).toEqual({ people: [{ id: 'e1', email: 'XXXXX@example.com' }, { id: 'c1', email: 'bob@example.org' }] });
  });
  it('selects each named operation of one document', async () => {
    const document = parse('query Origins { flights { origin } } query Codes { flights { code } }');
    const enveloped = getEnveloped({ principal: { id: 'u1', attributes: { role: 'analyst' } } });
    const runOperation = async (operationName: string) =>
      (await enveloped.execute({ schema: enveloped.schema, document, rootValue, contextValue: await enveloped.contextFactory(), operationName })) as ExecutionResult;
    expect((await runOperation('Origins')).data).toEqual({ flights: [{ origin: sha('ORD') }, { origin: sha('') }] });
    expect((await runOperation('Codes')).data).toEqual({ flights: [{ code: sha('') }, { code: 'XXXXX4567' }] });
  });
  it('masks a repeated value alike', async () => {
    const result = await run('{ flights { origin again: origin } matrix { origin } }', 'analyst');
    expect(result.data).toEqual({
      flights: [
        { origin: sha('ORD'), again: sha('ORD') },
        { origin: sha(''), again: sha('') },
      ],
      matrix: [[{ origin: sha('ORD') }, null], [{ origin: sha('') }]],
    });
  });
});

describe('findRawValues', () => {
  it('finds a leaked string and number', () => {
    expect(findRawValues('{"a":"ORD","b":35}', ['ORD', 35, 'Ann'])).toEqual(['ORD', 35]);
  });
  it('ignores a number inside another', () => {
    expect(findRawValues('{"b":135,"c":3.5}', [35])).toEqual([]);
  });
  it('finds no raw value in a masked response', async () => {
    const queries = [
      '{ flights { id origin delay cost cancelled code manager } }',
      '{ people { id email ... on Employee { salary } } }',
      '{ search { ... on Flight { origin code } ... on Employee { email salary } } }',
      '{ brokenFlights { origin } }',
      '{ flightsAggregate { key { origin } sum { cost delay } } }',
    ];
    for (const query of queries) {
      const body = JSON.stringify(await run(query, 'analyst'));
      expect(findRawValues(body, RAW_VALUES)).toEqual([]);
    }
  });
});
