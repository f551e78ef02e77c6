import { describe, expect, it } from 'vitest';
import { fanoutScenario } from '../../bench/suite/fanout';
import { runSuite } from '../../bench/suite/suite';
import { scenarios } from '../../bench/suite/scenarios';

/**
 * The benchmark suite's quick mode (scale S), as CI runs it: its own Neo4j, every server in its
 * own process. No timing is asserted — only that every server answers every scenario with the
 * hub's data, and that no measured request failed; for the subscription fan-out, that every
 * subscriber received what its officer reads over HTTP, on every hub alike, and that every
 * measured update reached exactly its recipients.
 */
describe('benchmark suite, quick mode', () => {
  it('every server gives the same answers as the hub, and no measured request errs', async () => {
    // 50 representations: @neo4j/graphql resolves each with a statement of its own.
    const result = await runSuite({
      scale: 'S', seed: 7, rounds: 1, seconds: 0.2, warmupRequests: 1, connections: 2, entities: 50, subscribers: 50, fanoutEvents: 4, log: () => undefined,
    });
    const expected = [...scenarios({ reportId: 'any', entityIds: [], subjectId: 'any', searchText: 'any' }), fanoutScenario];
    for (const scenario of expected) expect(result.equalAnswers[scenario.name], scenario.name).toEqual(scenario.servers);
    expect(result.measurements).toHaveLength(expected.reduce((n, scenario) => n + scenario.servers.length, 0));
    expect(result.measurements.filter((m) => m.errors > 0 || m.requests === 0)).toEqual([]);
    // Each server sent Cypher for its answers: the counts come from the servers' own processes.
    expect(result.measurements.filter((m) => m.statementsPerRequest <= 0)).toEqual([]);
    const fanout = result.measurements.filter((m) => m.scenario === fanoutScenario.name);
    expect(fanout.filter((m) => !m.expectedDeliveries || m.deliveries !== m.expectedDeliveries)).toEqual([]);
  }, 1_500_000);
});
