import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectCode, expectOk, startCachingHub, type CachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import { worldBuilder } from '../support/world';
import { storedEvents } from '../policy/audit-support';

/**
 * `search` against the real Neo4j: visible hits only, totals over visible hits, typo, case and
 * accent tolerance, best first with stable cursors, and hostile text that stays plain words.
 * Countries XE and XP are this file's own.
 */
const prefix = uniquePrefix('search');
const { id, members, officer } = worldBuilder(prefix);
// A word no other test's data holds, so every search below sees this file's world only.
const W = `zq${prefix.replace(/[^a-z0-9]/g, '').slice(-8)}`;

function world(): ImportFile {
  const report = (name: string, owner: string, title: string, extra: Record<string, unknown> = {}) => ({
    id: id(name), owner, author: id(`author${owner}`), title, classification: 'UNCLASSIFIED', handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-02-01T00:00:00Z', ...extra,
  });
  return {
    ...members(['XE', 'XP']),
    officers: [officer('authorXE', 'XE', ['OFFICER']), officer('authorXP', 'XP', ['OFFICER']), officer('lowXE', 'XE', ['OFFICER'], { clearance: 'UNCLASSIFIED' })],
    subjects: [
      { id: id('jose'), kind: 'PERSON', recordedBy: 'XE', name: `José Álvarez ${W}`, aliases: ['El Flaco'], dateOfBirth: '1980-03-04' },
      { id: id('hiddenPerson'), kind: 'PERSON', recordedBy: 'XP', name: `Hidden Darién ${W}` },
      { id: id('victim'), kind: 'PERSON', recordedBy: 'XP', name: `Victim Darién ${W}`, protected: true },
      { id: id('boat'), kind: 'VEHICLE', recordedBy: 'XE', identifier: `${W}-BOAT-77` },
      { id: id('passport'), kind: 'TRAVEL_DOCUMENT', recordedBy: 'XE', number: `${W.toUpperCase()}-12 34`, issuingCountry: 'XE', documentType: 'PASSPORT' },
    ],
    reports: [
      report('open', 'XE', `${W} smuggling network at the Darién crossing`, { summary: 'boats leave at night', subjects: [id('jose'), id('boat'), id('passport')] }),
      report('secret', 'XP', `${W} Darien smuggling boats`, { classification: 'CONFIDENTIAL', subjects: [id('hiddenPerson')] }),
      report('allowed', 'XP', `${W} Darién route, shared with XE`, { classification: 'OFFICIAL', releasability: { mode: 'ALLOW', countries: ['XE'] }, subjects: [id('victim')] }),
      report('denied', 'XP', `${W} Darién route, not for XE`, { releasability: { mode: 'DENY', countries: ['XE'] } }),
      report('restricted', 'XE', `${W} Darién restricted note`, { classification: 'RESTRICTED' }),
    ],
  } as ImportFile;
}

const SEARCH = `query($text: String!, $kinds: [SearchKind!], $first: Int, $after: String) {
  search(text: $text, kinds: $kinds, first: $first, after: $after) {
    totalCount
    edges { cursor score node { __typename ... on IntelReport { id title } ... on Person { id name redactedFields } ... on Subject { id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
type Edge = { cursor: string; score: number; node: { __typename: string; id: string; title?: string; name?: string | null } };
type Search = { search: { totalCount: number; edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

let hub: CachingHub;
const as: Caller = (...args) => hub.as(...args);

beforeAll(async () => {
  hub = await startCachingHub(world());
});
afterAll(() => hub?.t.stop());

const search = async (who: string, text: string, extra: Record<string, unknown> = {}) =>
  expectOk(await as<Search>(id(who), SEARCH, { text, first: 50, ...extra })).search;
const hitIds = (result: Search['search']) => result.edges.map((e) => e.node.id.replace(`${prefix}-`, '')).sort();

describe('search', () => {
  it('finds only what the viewer may see, and counts only that', async () => {
    const xe = await search('authorXE', `darien ${W}`);
    expect(hitIds(xe)).toEqual(['allowed', 'open', 'restricted']);
    expect(xe.totalCount).toBe(3);
    const xp = await search('authorXP', `darien ${W}`);
    expect(hitIds(xp)).toEqual(['allowed', 'denied', 'hiddenPerson', 'open', 'secret', 'victim']);
    expect(xp.totalCount).toBe(6);
    const low = await search('lowXE', `darien ${W}`);
    expect(hitIds(low)).toEqual(['open']);
    expect(low.totalCount).toBe(1);
  });

  it('never finds a protected person by a name the viewer may not read, though the person is visible to them', async () => {
    const byName = await search('authorXE', `victim ${W}`);
    expect(byName.edges).toEqual([]);
    expect(byName.totalCount).toBe(0);
    const subject = expectOk(await as<{ subject: { id: string; redactedFields: string[] } }>(id('authorXE'), `{ subject(id: "${id('victim')}") { id redactedFields } }`));
    expect(subject.subject.redactedFields).toContain('name');
    expect(hitIds(await search('authorXP', `victim ${W}`))).toEqual(['victim']);
  });

  it('tolerates one typo per word, any case and any accents', async () => {
    for (const text of [`JOSE ALVAREZ ${W}`, `jsoe álvares ${W}`, `Jóse Alvarz ${W.toUpperCase()}`, `  el   flaco ${W}  `]) {
      expect(hitIds(await search('authorXE', text)), text).toEqual(['jose']);
    }
    expect(await search('authorXE', `josefina alvarez ${W}`)).toMatchObject({ totalCount: 0 });
  });

  it('finds numbers and identifiers however they are spaced', async () => {
    expect(hitIds(await search('authorXE', `${W}-12-34`, { kinds: ['TRAVEL_DOCUMENT'] }))).toEqual(['passport']);
    expect(hitIds(await search('authorXE', `${W}1234`))).toEqual(['passport']);
    expect(hitIds(await search('authorXE', `${W} boat 77`, { kinds: ['VEHICLE'] }))).toEqual(['boat']);
  });

  it('limits hits to the kinds asked for', async () => {
    const reports = await search('authorXP', `darien ${W}`, { kinds: ['INTEL_REPORT'] });
    expect(reports.edges.every((e) => e.node.__typename === 'IntelReport')).toBe(true);
    expect(reports.totalCount).toBe(4);
    const persons = await search('authorXP', `darien ${W}`, { kinds: ['PERSON'] });
    expect(hitIds(persons)).toEqual(['hiddenPerson', 'victim']);
  });

  it('puts the best match first and pages with cursors that neither repeat nor skip a hit', async () => {
    const all = await search('authorXP', `darien ${W}`);
    const scores = all.edges.map((e) => e.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const got: Search['search'] = await search('authorXP', `darien ${W}`, { first: 2, after });
      expect(got.totalCount).toBe(all.totalCount);
      seen.push(...got.edges.map((e) => e.node.id));
      if (!got.pageInfo.hasNextPage) break;
      after = got.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    // Without totalCount the page comes from its own statement: the same hits, the same order.
    const pageOnly = expectOk(await as<Search>(id('authorXP'), SEARCH.replace('totalCount', ''), { text: `darien ${W}`, first: 3 })).search;
    expect(pageOnly.edges.map((e) => [e.node.id, e.score, e.cursor])).toEqual(all.edges.slice(0, 3).map((e) => [e.node.id, e.score, e.cursor]));
    expect(pageOnly.pageInfo.hasNextPage).toBe(true);
  });

  it('records every report it returns as read', async () => {
    await search('authorXE', `night boats ${W}`);
    const events = await storedEvents({ itemId: id('open'), officerId: id('authorXE'), action: 'READ' });
    expect(events.length).toBeGreaterThan(0);
  });

  it('treats hostile text as plain words: no syntax, no error, no match beyond its words', async () => {
    const hostile = [
      '*:*', '*', '?', '"', '\\', '\\"', 'title:*', `title:${W}*`, '(((', ')', '[* TO *]', '{a TO z}', '~', `${W}~10`, '^', `${W}^100`,
      '/.*/', '/[a-z]+/', 'AND', 'OR NOT', '&& ||', '!', '+-', `${W} OR *`, `NOT ${W}`, "'; MATCH (n) DETACH DELETE n //",
      '\u0000', '💥', 'a'.repeat(400), `${'x '.repeat(200)}`, 'the of and', `${W}\\`, `${W}"`,
    ];
    for (const text of hostile) {
      const res = await as<Search>(id('authorXP'), SEARCH, { text, first: 50 });
      if (res.errors) {
        expect(res.errors[0].extensions?.code, `${JSON.stringify(text)}: ${res.errors[0].message}`).toBe('BAD_USER_INPUT');
        continue;
      }
      const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
      // Only text that names this file's word can reach this file's world.
      if (!words.some((w) => w.startsWith(W.slice(0, 6)))) {
        expect(res.data!.search.edges.filter((e) => e.node.id.startsWith(prefix)), JSON.stringify(text)).toEqual([]);
      }
    }
    expect(hitIds(await search("authorXP", `${W}~`))).toEqual(hitIds(await search("authorXP", W)));
    expect(hitIds(await search('authorXP', `title:${W}*`))).toEqual([]);
  });

  it('refuses text without a word to search for, and a cursor it did not make', async () => {
    expectCode(await as(id('authorXE'), SEARCH, { text: ' ?! ' }), 'BAD_USER_INPUT');
    expectCode(await as(id('authorXE'), SEARCH, { text: 'the and of' }), 'BAD_USER_INPUT');
    expectCode(await as(id('authorXE'), SEARCH, { text: W, kinds: [] }), 'BAD_USER_INPUT');
    expectCode(await as(id('authorXE'), SEARCH, { text: W, after: Buffer.from('["x"]').toString('base64url') }), 'BAD_USER_INPUT');
  });
});
