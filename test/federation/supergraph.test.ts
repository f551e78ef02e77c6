import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import { testDb, uniquePrefix } from '../support/db';
import { expectOk } from '../support/actors';
import { startTestHub, type TestHub } from '../support/hub';
import { startGateway, type TestGateway } from './gateway';
import { startPartnerSubgraph, type PartnerSubgraph } from './partner-subgraph';
import { federationWorld } from './world';

/**
 * A real supergraph: the hub, the sample partner subgraph and a real @apollo/gateway composing
 * them by introspection and forwarding the user's Authorization header. Queries join both
 * subgraphs, and the sharing rule still decides what each user gets.
 */
const p = uniquePrefix('fed-gateway');
const id = (name: string) => `${p}-${name}`;

let hub: TestHub;
let partnerSubgraph: PartnerSubgraph;
let gateway: TestGateway;
const tokens: Record<'r1' | 't1' | 'partner', string> = { r1: '', t1: '', partner: '' };

beforeAll(async () => {
  await importFile(await testDb(), federationWorld(p));
  hub = await startTestHub();
  partnerSubgraph = await startPartnerSubgraph({
    victimsAssisted: { [id('opR')]: 12, [id('opPub')]: 30, [id('opPubLive')]: 4 },
    cases: [
      { id: 'case-1', victims: 3, countryCode: 'XR', operationId: id('opR'), referralId: id('rConf') },
      { id: 'case-2', victims: 5, countryCode: 'XT', operationId: id('opPub'), referralId: id('rPub') },
      { id: 'case-3', victims: 1, countryCode: 'XU', operationId: null, referralId: id('rScoped') },
    ],
  });
  gateway = await startGateway([
    { name: 'hub', url: hub.hub.url },
    { name: 'partner', url: partnerSubgraph.url },
  ]);
  tokens.r1 = await hub.token(id('r1'));
  tokens.t1 = await hub.token(id('t1'));
  tokens.partner = await hub.token(`partner:${id('partner')}`);
});

afterAll(async () => {
  await gateway?.stop();
  await partnerSubgraph?.stop();
  await hub?.stop();
});

const OPERATION = `query($id: ID!) { operation(id: $id) { codename victimsAssisted leadCountry { name } outcome { arrests } } }`;
const CASES = `{ assistanceCases { id victims country { code name } operation { id codename victimsAssisted } referral { id title } } }`;
type Case = { id: string; victims: number; country: { code: string; name: string }; operation: { codename: string; victimsAssisted: number } | null; referral: { id: string; title: string } | null };

describe('the supergraph joins the hub and a partner subgraph', () => {
  it('an officer of the lead country gets hub fields and the partner\'s figures in one operation', async () => {
    const data = expectOk(await gateway.query<{ operation: unknown }>(tokens.r1, OPERATION, { id: id('opR') }));
    expect(data.operation).toEqual({ codename: 'FED PARTICIPANTS', victimsAssisted: 12, leadCountry: { name: 'Rland' }, outcome: { arrests: 1 } });
  });

  it('the gateway forwards the user\'s Authorization header to both subgraphs', async () => {
    const before = partnerSubgraph.authorizations.length;
    expectOk(await gateway.query(tokens.t1, `{ assistanceCases { id } }`));
    expect(partnerSubgraph.authorizations.slice(before)).toEqual([`Bearer ${tokens.t1}`]);
  });

  it('partner cases resolve hub entities through _entities, under the user\'s sharing rule', async () => {
    const asR1 = expectOk(await gateway.query<{ assistanceCases: Case[] }>(tokens.r1, CASES)).assistanceCases;
    expect(asR1.map((c) => [c.id, c.country.name, c.operation?.codename ?? null, c.referral?.title ?? null])).toEqual([
      ['case-1', 'Rland', 'FED PARTICIPANTS', 'report rConf'],
      ['case-2', 'Tland', 'FED PUBLIC DONE', 'report rPub'],
      ['case-3', 'Uland', null, 'report rScoped'],
    ]);
  });
});

describe('the sharing rule holds through the gateway', () => {
  it('an officer of a country outside a PARTICIPANTS operation gets null for it, as for an unknown one', async () => {
    const invisible = await gateway.query(tokens.t1, OPERATION, { id: id('opR') });
    const unknown = await gateway.query(tokens.t1, OPERATION, { id: id('no-such-op') });
    expect(expectOk(invisible)).toEqual({ operation: null });
    expect(invisible).toEqual(unknown);
  });

  it('through partner cases, that officer gets null for the invisible operation and the invisible reports', async () => {
    const cases = expectOk(await gateway.query<{ assistanceCases: Case[] }>(tokens.t1, CASES)).assistanceCases;
    expect(cases.map((c) => [c.id, c.operation?.codename ?? null, c.referral?.title ?? null])).toEqual([
      ['case-1', null, null], // opR: not a participant; rConf: above XR's OFFICIAL share level
      ['case-2', 'FED PUBLIC DONE', 'report rPub'],
      ['case-3', null, null], // rScoped: limited to opR
    ]);
  });

  it('a partner sees only PUBLIC operations, with the published outcome and its own figures joined', async () => {
    const list = expectOk(await gateway.query<{ operations: { edges: { node: { id: string; visibility: string; victimsAssisted: number | null } }[] } }>(
      tokens.partner,
      `{ operations(filter: { codename: "FED " }, first: 50) { edges { node { id visibility victimsAssisted } } } }`,
    ));
    const mine = list.operations.edges.map((e) => e.node).filter((o) => o.id.startsWith(p));
    expect(mine.map((o) => [o.id, o.victimsAssisted]).sort()).toEqual([[id('opPub'), 30], [id('opPubLive'), 4]]);
    expect(list.operations.edges.every((e) => e.node.visibility === 'PUBLIC')).toBe(true);
    expect(expectOk(await gateway.query(tokens.partner, OPERATION, { id: id('opPub') }))).toEqual({
      operation: { codename: 'FED PUBLIC DONE', victimsAssisted: 30, leadCountry: { name: 'Tland' }, outcome: { arrests: 7 } },
    });
    expect(expectOk(await gateway.query(tokens.partner, OPERATION, { id: id('opR') }))).toEqual({ operation: null });
  });

  it('a partner gets null for every hub entity it may not see, and the released report', async () => {
    const cases = expectOk(await gateway.query<{ assistanceCases: Case[] }>(tokens.partner, CASES)).assistanceCases;
    expect(cases.map((c) => [c.id, c.operation?.codename ?? null, c.referral?.title ?? null])).toEqual([
      ['case-1', null, null],
      ['case-2', 'FED PUBLIC DONE', 'report rPub'],
      ['case-3', null, null],
    ]);
  });

  it('a query without a token gets nothing but UNAUTHENTICATED', async () => {
    const res = await gateway.query(null, OPERATION, { id: id('opPub') });
    expect(res.data?.operation ?? null).toBeNull();
    expect(res.errors?.length).toBeGreaterThan(0);
    expect(res.errors!.every((e) => e.extensions?.code === 'UNAUTHENTICATED'), JSON.stringify(res.errors)).toBe(true);
  });
});
