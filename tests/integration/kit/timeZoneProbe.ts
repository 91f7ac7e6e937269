/**
 * Prints, as one JSON line, what the flights subgraph returns for timestamps in this process's TZ.
 * The engine test runs it in a child process because Jest does not pass a changed `process.env.TZ`
 * on to the time zone of the running process.
 */
import { openFlightsSubgraph } from './flights.js';

interface Flights {
  flights: { nodes: Array<{ id: string; departedAt: string | null; landedAt: string | null }> };
}

async function main(): Promise<void> {
  const subgraph = await openFlightsSubgraph();
  try {
    const listed = await subgraph.execute<Flights>('{ flights(where: { id: { in: ["f01", "f04"] } }) { nodes { id departedAt landedAt } } }');
    const filtered = await subgraph.execute<Flights>(
      '{ flights(where: { departedAt: { eq: "2001-01-01T05:00:00" } }) { nodes { id departedAt landedAt } } }',
    );
    const stored = await subgraph.sql("SELECT replace(departed_at::VARCHAR, ' ', 'T') AS text FROM flights WHERE id IN ('f01', 'f04') ORDER BY id");
    const report = {
      offsetMinutes: new Date(Date.UTC(2001, 0, 1)).getTimezoneOffset(),
      listed: listed.flights.nodes,
      filteredIds: filtered.flights.nodes.map((node) => node.id),
      stored: stored.map((row) => row.text),
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await subgraph.backend.close();
  }
}

void main();
