import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { testDb, uniquePrefix } from '../support/db';
import { expectOk } from '../support/actors';
import { startTestHub, type TestHub } from '../support/hub';
import { OPERATIONS, REPORTS, VISIBLE_OPERATIONS, VISIBLE_REPORTS, federationWorld } from './world';

/**
 * The hub as a Federation 2 subgraph, talked to directly as a gateway would: `_service` and
 * `_entities` over HTTP. `_entities` is not a side door: it answers exactly what the root
 * fields answer, for officers and partners alike.
 */
const p = uniquePrefix('fed-entities');
const id = (name: string) => `${p}-${name}`;
type Who = 'r1' | 't1' | 'partner';
const WHO: Who[] = ['r1', 't1', 'partner'];

let t: TestHub;
const tokens = {} as Record<Who, string>;

beforeAll(async () => {
  await importFile(await testDb(), federationWorld(p));
  t = await startTestHub();
  tokens.r1 = await t.token(id('r1'));
  tokens.t1 = await t.token(id('t1'));
  tokens.partner = await t.token(`partner:${id('partner')}`);
});

afterAll(async () => {
  await t?.stop();
});

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename
  ... on IntelReport { id title sourceDescription redactedFields operation { id } author { id email } }
  ... on Operation { id codename visibility outcome { arrests victimsRescued checks seizures } }
  ... on Officer { id name email phone redactedFields }
  ... on Unit { id name country { code } }
  ... on Country { code name }
} }`;

const entities = async (who: Who, representations: Record<string, unknown>[]) =>
  expectOk(await t.gql<{ _entities: (Record<string, unknown> | null)[] }>(tokens[who], ENTITIES, { representations }))._entities;

async function rawPost(token: string | null, query: string, variables?: Record<string, unknown>): Promise<{ status: number; text: string }> {
  const response = await fetch(t.hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, text: await response.text() };
}

describe('_service', () => {
  it('answers { _service { sdl } } without a token, with the committed subgraph SDL and every @key', async () => {
    const res = await t.gql<{ _service: { sdl: string } }>(null, '{ _service { sdl } }');
    const sdl = expectOk(res)._service.sdl;
    expect(`${sdl}\n`).toBe(readFileSync(path.resolve(__dirname, '../../schema/hub.graphql'), 'utf8'));
    expect(sdl).toContain('extend schema\n  @link(url: "https://specs.apollo.dev/federation/v2.3"');
    for (const [type, key] of [['Country', 'code'], ['Operation', 'id'], ['Officer', 'id'], ['Unit', 'id'], ['IntelReport', 'id']]) {
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "${key}"\\)`));
    }
  });

  it('without a token, anything beyond _service is UNAUTHENTICATED with 401, _entities included', async () => {
    const documents = [
      '{ _service { sdl } me { id } }',
      `{ _entities(representations: [{ __typename: "Country", code: "XR" }]) { ... on Country { name } } }`,
      '{ countries { code } }',
      '{ _service { sdl } } query Other { me { id } }',
      'mutation { removeSharingRule(to: "XR") }',
      'not graphql',
    ];
    for (const query of documents) {
      const res = await t.gql(null, query);
      expect(res.status, query).toBe(401);
      expect(res.errors?.[0]?.extensions?.code, query).toBe('UNAUTHENTICATED');
      expect(res.data ?? null, query).toBeNull();
    }
  });

  it('with an invalid token, even _service is UNAUTHENTICATED: a header that is sent must be valid', async () => {
    const res = await t.gql('not-a-token', '{ _service { sdl } }');
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('_entities applies the sharing rule exactly like the root fields', () => {
  const ROOT_REPORT = `query($id: ID!) { intelReport(id: $id) { __typename id title sourceDescription redactedFields operation { id } author { id email } } }`;
  const ROOT_OPERATION = `query($id: ID!) { operation(id: $id) { __typename id codename visibility outcome { arrests victimsRescued checks seizures } } }`;

  for (const who of WHO) {
    it(`${who}: IntelReport entities are exactly ${VISIBLE_REPORTS[who].join(', ')}, field for field as intelReport(id)`, async () => {
      const found = await entities(who, REPORTS.map((name) => ({ __typename: 'IntelReport', id: id(name) })));
      const visible = REPORTS.filter((_, index) => found[index] !== null);
      expect(visible).toEqual(VISIBLE_REPORTS[who]);
      for (const [index, name] of REPORTS.entries()) {
        const root = expectOk(await t.gql<{ intelReport: unknown }>(tokens[who], ROOT_REPORT, { id: id(name) })).intelReport;
        expect(found[index], name).toEqual(root);
      }
    });

    it(`${who}: Operation entities are exactly ${VISIBLE_OPERATIONS[who].join(', ')}, with the same outcome as operation(id)`, async () => {
      const found = await entities(who, OPERATIONS.map((name) => ({ __typename: 'Operation', id: id(name) })));
      expect(OPERATIONS.filter((_, index) => found[index] !== null)).toEqual(VISIBLE_OPERATIONS[who]);
      for (const [index, name] of OPERATIONS.entries()) {
        const root = expectOk(await t.gql<{ operation: unknown }>(tokens[who], ROOT_OPERATION, { id: id(name) })).operation;
        expect(found[index], name).toEqual(root);
      }
    });
  }

  it('an invisible report, an invisible operation and unknown ids give byte-identical responses', async () => {
    const query = `query($representations: [_Any!]!) { _entities(representations: $representations) { ... on IntelReport { id title } ... on Operation { id codename } } }`;
    const reps = (report: string, operation: string) => ({
      representations: [
        { __typename: 'IntelReport', id: report },
        { __typename: 'Operation', id: operation },
      ],
    });
    const invisible = await rawPost(tokens.t1, query, reps(id('rConf'), id('opR')));
    const unknown = await rawPost(tokens.t1, query, reps(id('no-such-report'), id('no-such-operation')));
    expect(invisible).toEqual(unknown);
    expect(JSON.parse(invisible.text)).toEqual({ data: { _entities: [null, null] } });
  });

  it('redaction holds: sourceDescription only for the owner country, officer contact details never for partners', async () => {
    const [asOwner] = await entities('r1', [{ __typename: 'IntelReport', id: id('rPub') }]);
    expect(asOwner).toMatchObject({ sourceDescription: 'source of rPub', redactedFields: [] });
    for (const who of ['t1', 'partner'] as const) {
      const [report] = await entities(who, [{ __typename: 'IntelReport', id: id('rPub') }]);
      expect(report).toMatchObject({ sourceDescription: null, redactedFields: ['sourceDescription'] });
    }
    const [officerForPartner] = await entities('partner', [{ __typename: 'Officer', id: id('r1') }]);
    expect(officerForPartner).toEqual({ __typename: 'Officer', id: id('r1'), name: 'R One', email: null, phone: null, redactedFields: ['email', 'phone'] });
    const [officerForT1] = await entities('t1', [{ __typename: 'Officer', id: id('r1') }]);
    expect(officerForT1).toMatchObject({ email: 'r1@example.org', phone: '+000 1', redactedFields: [] });
    const [report] = await entities('partner', [{ __typename: 'IntelReport', id: id('rPub') }]);
    expect(report!.author).toEqual({ id: id('r1'), email: null });
  });

  it('Country and Unit entities resolve by their keys; a representation without its key is null', async () => {
    const found = await entities('partner', [
      { __typename: 'Country', code: 'XR' },
      { __typename: 'Unit', id: id('u-XT') },
      { __typename: 'Country', code: 'QQ-unknown' },
      { __typename: 'IntelReport' },
      { __typename: 'Operation', id: 42 },
    ]);
    expect(found).toEqual([
      { __typename: 'Country', code: 'XR', name: 'Rland' },
      { __typename: 'Unit', id: id('u-XT'), name: 'XT unit', country: { code: 'XT' } },
      null,
      null,
      null,
    ]);
  });
});

describe('_entities is batched', () => {
  async function roundTrips(representations: Record<string, unknown>[]): Promise<{ trips: number; found: number }> {
    const db = await testDb();
    let trips = 0;
    const stop = db.observe(() => {
      trips += 1;
    });
    try {
      const res = await t.gql<{ _entities: unknown[] }>(tokens.t1, `query($r: [_Any!]!) { _entities(representations: $r) { ... on IntelReport { id } ... on Operation { id } } }`, { r: representations });
      return { trips, found: expectOk(res)._entities.filter((e) => e !== null).length };
    } finally {
      stop();
    }
  }

  it('1,000 IntelReport representations cost the same round trips as three: one batch for the type', async () => {
    // A visible, an invisible and an unknown report: the same kinds of work as the 1,000 (the
    // audit trail checks in one more batched query whether the null ones exist).
    const few = await roundTrips([{ __typename: 'IntelReport', id: id('rPub') }, { __typename: 'IntelReport', id: id('rConf') }, { __typename: 'IntelReport', id: id('missing') }]);
    const many = await roundTrips(
      Array.from({ length: 1000 }, (_, i) => ({ __typename: 'IntelReport', id: i % 2 ? id(REPORTS[i % REPORTS.length]) : id(`missing-${i}`) })),
    );
    expect(few.found).toBe(1);
    expect(many.found).toBeGreaterThan(0);
    expect(many.trips).toBe(few.trips);
  });

  it('mixed types cost one more round trip per type, not per representation', async () => {
    const reports = await roundTrips(Array.from({ length: 200 }, (_, i) => ({ __typename: 'IntelReport', id: id(`r-${i}`) })));
    const mixed = await roundTrips([
      ...Array.from({ length: 200 }, (_, i) => ({ __typename: 'IntelReport', id: id(`r-${i}`) })),
      ...Array.from({ length: 200 }, (_, i) => ({ __typename: 'Operation', id: id(`op-${i}`) })),
    ]);
    expect(mixed.trips).toBe(reports.trips + 1);
  });
});
