import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { actors, expectCode, expectOk, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { AUDIT_COUNTRIES, storedEvents } from './audit-support';

/** Hit/no-hit screening of travel documents: normalised, content-free, audited, rate-limited. */
const prefix = uniquePrefix('screen');
const { id, members, officer } = worldBuilder(prefix);
// Document numbers unique to this run, so earlier runs' documents never answer.
const serial = prefix.replace(/[^a-z0-9]/gi, '').toUpperCase().slice(-10);
const REPORTED_AT = '2026-01-15T00:00:00.000Z';
const LIMIT = 5;

function world(): ImportFile {
  const doc = (name: string, number: string, issuingCountry: string, status: string, recordedBy = issuingCountry) => ({
    id: id(name), kind: 'TRAVEL_DOCUMENT', recordedBy, number, issuingCountry, documentType: 'PASSPORT', status, reportedAt: REPORTED_AT,
  });
  return {
    ...members(AUDIT_COUNTRIES),
    officers: [
      officer('wOfficer', 'XW', ['OFFICER']),
      officer('xOfficer', 'XX', ['ANALYST']),
      officer('wSuspended', 'XW', ['OFFICER'], { status: 'SUSPENDED' }),
    ],
    subjects: [
      doc('stolen', `S${serial}-12 34`, 'XV', 'STOLEN'),
      doc('valid', `V${serial}`, 'XV', 'VALID'),
      doc('lostW', `L${serial}`, 'XW', 'LOST'),
    ],
    reports: [
      { id: id('secret'), owner: 'XX', author: id('xOfficer'), title: 'SECRET-TITLE forged stamp ring', summary: 'SECRET-SUMMARY', classification: 'UNCLASSIFIED',
        handling: 'H0', releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-16T00:00:00Z', sourceDescription: 'SECRET-SOURCE', subjects: [id('stolen')] },
    ],
  } as ImportFile;
}

const SCREEN = `query($n: String!, $c: String!) { screenDocument(number: $n, issuingCountry: $c) { hit status reportedBy { code name } reportedAt advice } }`;
type Screening = { hit: boolean; status: string | null; reportedBy: { code: string } | null; reportedAt: string | null; advice: string | null };

let t: TestHub;
let as: Caller;

beforeAll(async () => {
  await importFile(await testDb(), world());
  t = await startTestHub({ env: { SCREENING_PER_MINUTE: String(LIMIT) } });
  as = actors(t);
});
afterAll(async () => {
  await t?.stop();
});

const screen = async (who: string, number: string, country: string) =>
  expectOk(await as<{ screenDocument: Screening }>(id(who), SCREEN, { n: number, c: country })).screenDocument;

describe('screenDocument', () => {
  it('hits a stolen document however its number is typed, with status, reporter, date and advice only', async () => {
    const answer = await screen('wOfficer', ` s${serial.toLowerCase()} 1-2-3 4 `, 'XV');
    expect(answer).toMatchObject({ hit: true, status: 'STOLEN', reportedBy: { code: 'XV' }, reportedAt: REPORTED_AT });
    expect(answer.advice).toMatch(/confirm .*XV/);
    expect(JSON.stringify(answer)).not.toMatch(/SECRET/);
  });

  it('finds a lost document of another issuing country, and only under that country', async () => {
    expect(await screen('xOfficer', `L-${serial}`, 'xw')).toMatchObject({ hit: true, status: 'LOST', reportedBy: { code: 'XW' } });
    expect(await screen('xOfficer', `L${serial}`, 'XV')).toMatchObject({ hit: false, status: null, reportedBy: null });
  });

  it('answers no hit for a valid document and for an unknown one, saying that is no proof of validity', async () => {
    const valid = await screen('xOfficer', `V${serial}`, 'XV');
    expect(valid).toMatchObject({ hit: false, status: null, reportedBy: null, reportedAt: null });
    expect(valid.advice).toMatch(/not proof/);
    expect(await screen('xOfficer', `U${serial}`, 'XV')).toEqual(valid);
  });

  it('offers no field that could carry report content', async () => {
    const fields = expectOk(await as<{ __type: { fields: { name: string }[] } }>(id('xOfficer'), '{ __type(name: "ScreeningResult") { fields { name } } }'));
    expect(fields.__type.fields.map((f) => f.name).sort()).toEqual(['advice', 'hit', 'reportedAt', 'reportedBy', 'status']);
  });

  it('records every screening in the trail: the hit against the document, the miss with what was asked', async () => {
    const hits = await storedEvents({ itemId: id('stolen'), action: 'SCREEN' });
    expect(hits.map((e) => [e.officerId, e.outcome, e.detail])).toEqual([[id('wOfficer'), 'HIT', `XV S${serial}1234`]]);
    const misses = (await storedEvents({ officerId: id('xOfficer'), action: 'SCREEN' })).filter((e) => e.outcome === 'NO_HIT');
    expect(misses.map((e) => e.detail).sort()).toEqual([`XV L${serial}`, `XV U${serial}`, `XV V${serial}`]);
    expect(misses.every((e) => e.itemId === null)).toBe(true);
  });

  it('refuses officers who are not ACTIVE, and bad input', async () => {
    expectCode(await as(id('wSuspended'), SCREEN, { n: `S${serial}`, c: 'XV' }), 'FORBIDDEN');
    expectCode(await as(id('xOfficer'), SCREEN, { n: ' - ', c: 'XV' }), 'BAD_USER_INPUT');
    expectCode(await as(id('xOfficer'), SCREEN, { n: `S${serial}`, c: 'Vland' }), 'BAD_USER_INPUT');
  });

  it('limits each officer to SCREENING_PER_MINUTE, telling when to retry, without touching other officers', async () => {
    // wOfficer has screened once; the rest of the minute's allowance, then one too many.
    for (let n = 1; n < LIMIT; n += 1) await screen('wOfficer', `V${serial}`, 'XV');
    const limited = await as(id('wOfficer'), SCREEN, { n: `V${serial}`, c: 'XV' });
    expectCode(limited, 'RATE_LIMITED');
    expect(limited.data).toBeNull();
    const retry = limited.errors![0].extensions!.retryAfterSeconds as number;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect((await storedEvents({ officerId: id('wOfficer'), action: 'SCREEN' })).filter((e) => e.outcome === 'RATE_LIMITED')).toHaveLength(1);
    // wSuspended's refused calls and xOfficer's calls came from other buckets.
    expect((await screen('xOfficer', `V${serial}`, 'XV')).hit).toBe(false);
  });
});
