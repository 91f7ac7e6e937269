/** A query of the leak test, and whether the gateway must reject it for callers who may not unmask its fields. */
export interface LeakQuery {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** Coordinates the query filters, orders, groups or aggregates by; empty when it only selects. */
  readonly probes: readonly string[];
}

const MASKED_FIELDS = ['operator', 'date', 'costTotal', 'costRepair', 'costOther'] as const;
const SELECTION = MASKED_FIELDS.join(' ');
const ROWS = 'first: 100';

/** Queries that select the masked fields of the first 100 bird strikes in every shape a client can write. */
function selectingQueries(): LeakQuery[] {
  const aliases = MASKED_FIELDS.map((field, index) => `a${index}: ${field}`).join(' ');
  return [
    { name: 'nodes', query: `{ birdstrikes(${ROWS}) { nodes { id ${SELECTION} } } }`, probes: [] },
    { name: 'edges', query: `{ birdstrikes(${ROWS}) { edges { cursor node { id ${SELECTION} } } } }`, probes: [] },
    { name: 'field aliases', query: `{ birdstrikes(${ROWS}) { nodes { id ${aliases} } } }`, probes: [] },
    { name: 'root alias twice', query: `{ a: birdstrikes(first: 50) { nodes { id operator } } b: birdstrikes(${ROWS}) { nodes { id ${SELECTION} } } }`, probes: [] },
    {
      name: 'named fragment',
      query: `query Leak { birdstrikes(${ROWS}) { nodes { ...Strike } } } fragment Strike on Birdstrike { id ${SELECTION} }`,
      probes: [],
    },
    {
      name: 'nested fragments',
      query: `{ birdstrikes(${ROWS}) { ...Page } } fragment Page on BirdstrikeConnection { nodes { ...Costs operator date } } fragment Costs on Birdstrike { id costTotal costRepair costOther }`,
      probes: [],
    },
    { name: 'inline fragment', query: `{ birdstrikes(${ROWS}) { nodes { id ... on Birdstrike { ${SELECTION} } } } }`, probes: [] },
    {
      name: 'lookup by key with variables',
      query: `query One($id: Int!) { birdstrike(id: $id) { id ${SELECTION} } }`,
      variables: { id: 16 },
      probes: [],
    },
    {
      name: 'entities of another subgraph',
      query: `{ flights(first: 5) { nodes { id origin { iata name city } } } birdstrikes(${ROWS}) { nodes { id ${SELECTION} } } }`,
      probes: [],
    },
    {
      name: 'search hits',
      query: `{ search(query: "bird strike damage on approach", collections: ["birdstrikes"], first: 50) { snippet entity { ... on Birdstrike { id ${SELECTION} } } } }`,
      probes: [],
    },
    {
      name: 'search hits under aliases',
      query: `{ search(query: "substantial damage", collections: ["birdstrikes", "airports"], mode: KEYWORD, first: 50) { hit: entity { __typename ... on Birdstrike { ${aliases} } } } }`,
      probes: [],
    },
    {
      name: 'filter on unmasked field',
      query: `{ birdstrikes(${ROWS}, where: { speed: { gte: 0 } }, orderBy: [{ id: ASC }]) { nodes { id speed ${SELECTION} } } }`,
      probes: [],
    },
  ];
}

/** Queries that use masked fields in arguments or aggregates, which could reveal their values by probing. */
function probingQueries(): LeakQuery[] {
  return [
    { name: 'filter on cost', query: '{ birdstrikes(where: { costTotal: { gt: "1000" } }) { nodes { id } } }', probes: ['Birdstrike.costTotal'] },
    { name: 'filter on operator', query: '{ birdstrikes(where: { operator: { eq: "MILITARY" } }) { nodes { id } } }', probes: ['Birdstrike.operator'] },
    {
      name: 'nested not filter',
      query: '{ birdstrikes(where: { and: [{ speed: { gte: 0 } }, { not: { date: { lt: "1991-01-01" } } }] }) { nodes { id } } }',
      probes: ['Birdstrike.date'],
    },
    {
      name: 'filter from variables',
      query: 'query Probe($where: BirdstrikeFilter) { birdstrikes(where: $where) { nodes { id } } }',
      variables: { where: { or: [{ costRepair: { gte: "1" } }, { id: { eq: 1 } }] } },
      probes: ['Birdstrike.costRepair'],
    },
    { name: 'order by cost', query: '{ birdstrikes(first: 5, orderBy: [{ costTotal: DESC }]) { nodes { id } } }', probes: ['Birdstrike.costTotal'] },
    { name: 'order by date', query: '{ birdstrikes(first: 5, orderBy: [{ date: ASC }]) { nodes { id } } }', probes: ['Birdstrike.date'] },
    { name: 'group by operator', query: '{ birdstrikesAggregate(groupBy: [operator]) { key { operator } count } }', probes: ['Birdstrike.operator'] },
    { name: 'sum of cost', query: '{ birdstrikesAggregate { count sum { costTotal costOther } } }', probes: ['Birdstrike.costTotal'] },
    {
      name: 'max of cost by state',
      query: '{ birdstrikesAggregate(groupBy: [originState]) { key { originState } max { costRepair } } }',
      probes: ['Birdstrike.costRepair'],
    },
    { name: 'aliased min of date', query: '{ firstStrike: birdstrikesAggregate { earliest: min { d: date } } }', probes: ['Birdstrike.date'] },
  ];
}

/** Every query of the leak test. */
export function leakQueries(): LeakQuery[] {
  return [...selectingQueries(), ...probingQueries()];
}
