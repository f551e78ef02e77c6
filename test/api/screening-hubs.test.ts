import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { actors, expectCode, expectOk, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { freePort, redisServer, type RedisServer } from '../support/processes';
import { worldBuilder } from '../support/world';

/**
 * With REDIS_URL, an officer's screening allowance is one across every hub behind the
 * balancer, not one per hub; while Redis is away each hub still counts on its own. Country KE.
 */
const { id, members, officer } = worldBuilder(uniquePrefix('screen-hubs'));
const LIMIT = 3;
const SCREEN = `query($n: String!) { screenDocument(number: $n, issuingCountry: "KE") { hit } }`;

function world(): ImportFile {
  return { ...members(['KE']), officers: [officer('one', 'KE', ['OFFICER']), officer('two', 'KE', ['OFFICER'])] } as ImportFile;
}

let redis: RedisServer, a: TestHub, b: TestHub, onA: Caller, onB: Caller;

beforeAll(async () => {
  await importFile(await testDb(), world());
  redis = await redisServer(await freePort());
  const env = { REDIS_URL: redis.url, SCREENING_PER_MINUTE: String(LIMIT) };
  a = await startTestHub({ env });
  b = await startTestHub({ env });
  onA = actors(a);
  onB = actors(b);
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

describe('screening limit across hubs', () => {
  it('counts an officer\'s screenings on every hub against one allowance', async () => {
    expectOk(await onA(id('one'), SCREEN, { n: 'KE1' }));
    expectOk(await onB(id('one'), SCREEN, { n: 'KE2' }));
    expectOk(await onA(id('one'), SCREEN, { n: 'KE3' }));
    const limited = await onB(id('one'), SCREEN, { n: 'KE4' });
    expectCode(limited, 'RATE_LIMITED');
    expect(limited.errors![0].extensions!.retryAfterSeconds).toBeGreaterThan(0);
    expectCode(await onA(id('one'), SCREEN, { n: 'KE5' }), 'RATE_LIMITED');
    // Another officer's allowance is untouched.
    expectOk(await onB(id('two'), SCREEN, { n: 'KE6' }));
  });

  it('still limits, per hub, while Redis is away', async () => {
    await redis.stop();
    try {
      for (let n = 0; n < LIMIT; n += 1) expectOk(await onA(id('two'), SCREEN, { n: `KF${n}` }));
      expectCode(await onA(id('two'), SCREEN, { n: 'KF9' }), 'RATE_LIMITED');
    } finally {
      await redis.start();
    }
  });
});
