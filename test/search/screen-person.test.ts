import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/graph/import';
import type { ImportFile } from '../../src/import/types';
import { actors, expectCode, expectOk, type Caller } from '../support/actors';
import { testDb, uniquePrefix } from '../support/db';
import { startTestHub, type TestHub } from '../support/hub';
import { worldBuilder } from '../support/world';
import { storedEvents } from '../policy/audit-support';

/**
 * screenPerson and wanted records against the real Neo4j: the matching-quality table, content-
 * free answers, audit, the shared rate limit, import validation, and the NCB administrators'
 * mutations taking effect on the very next request. Countries QX and QY are this file's own.
 */
const prefix = uniquePrefix('wanted');
const { id, members, officer } = worldBuilder(prefix);
// Letters only, so a name built from it is a name (digits would be words of their own).
const serial = prefix.slice(-5).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]);
const SINCE = '2025-02-01T00:00:00.000Z';

function world(): ImportFile {
  return {
    ...members(['QX', 'QY']),
    officers: [
      officer('adminQY', 'QY', ['NCB_ADMIN']),
      officer('adminQX', 'QX', ['NCB_ADMIN']),
      officer('officerQX', 'QX', ['OFFICER']),
      officer('limited', 'QX', ['OFFICER']),
      officer('suspended', 'QX', ['OFFICER'], { status: 'SUSPENDED' }),
    ],
    subjects: [
      {
        id: id('maria'), kind: 'PERSON', recordedBy: 'QY', name: 'María José Ñáñez Gutiérrez', aliases: ['La Mona'], nationality: 'QY',
        dateOfBirth: '1985-07-12', wanted: { by: 'QY', since: SINCE, reference: 'QY-2025-117' },
      },
      { id: id('free'), kind: 'PERSON', recordedBy: 'QY', name: 'Bartholomew Quince Ferreira', dateOfBirth: '1970-01-01' },
      { id: id('later'), kind: 'PERSON', recordedBy: 'QY', name: `Wenceslao ${serial} Oyarzún` },
      { id: id('withdrawn'), kind: 'PERSON', recordedBy: 'QY', name: `Leocadia ${serial} Ybarra` },
    ],
    reports: [
      { id: id('report'), owner: 'QY', author: id('adminQY'), title: 'Secret case file', classification: 'UNCLASSIFIED', handling: 'H0',
        releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-01T00:00:00Z', subjects: [id('later')] },
    ],
  } as ImportFile;
}

const SCREEN = `query($name: String!, $dob: String, $nat: String) {
  screenPerson(name: $name, dateOfBirth: $dob, nationality: $nat) { hit wantedBy { code } since advice }
}`;
type Screening = { hit: boolean; wantedBy: { code: string } | null; since: string | null; advice: string | null };

let t: TestHub;
let as: Caller;

beforeAll(async () => {
  await importFile(await testDb(), world());
  t = await startTestHub({ env: { SCREENING_PER_MINUTE: '1000' } });
  as = actors(t);
});
afterAll(async () => {
  await t?.stop();
});

const screen = async (who: string, name: string, dob: string | null = null, nat: string | null = null) =>
  expectOk(await as<{ screenPerson: Screening }>(id(who), SCREEN, { name, dob, nat })).screenPerson;

/** The record: "María José Ñáñez Gutiérrez", alias "La Mona", born 1985-07-12, nationality QY. */
const TABLE: [row: string, name: string, dob: string | null, nationality: string | null, hit: boolean][] = [
  ['as recorded', 'María José Ñáñez Gutiérrez', '1985-07-12', null, true],
  ['upper case, no accents', 'MARIA JOSE NANEZ GUTIERREZ', '1985-07-12', null, true],
  ['lower case', 'maria jose ñañez gutierrez', '1985-07-12', null, true],
  ['surnames first, with a comma', 'Gutiérrez Ñáñez, María José', '1985-07-12', null, true],
  ['extra spaces', '   María   José  Ñáñez    Gutiérrez  ', '1985-07-12', null, true],
  ['one typo in every name', 'Marya Jose Nañes Gutierres', '1985-07-12', null, true],
  ['one transposition in every name', 'Mraia Jsoe Nanez Gutierrze', '1985-07-12', null, true],
  ['a missing letter and an extra one', 'Mara Josee Nanez Gutierrez', '1985-07-12', null, true],
  ['two of the names', 'Maria Gutierrez', '1985-07-12', null, true],
  ['an extra name', 'María José Ñáñez Gutiérrez López', '1985-07-12', null, true],
  ['the alias', 'la mona', null, null, true],
  ['no date of birth given', 'Maria Jose Nanez Gutierrez', null, null, true],
  ['the same nationality', 'Maria Jose Nanez Gutierrez', null, 'QY', true],
  ['a second date of birth', 'María José Ñáñez Gutiérrez', '1985-07-13', null, false],
  ['another nationality', 'Maria Jose Nanez Gutierrez', null, 'QX', false],
  ['two typos in one name', 'Mrya Jose Nanez Gutierrez', '1985-07-12', null, false],
  ['one surname alone', 'Gutiérrez', null, null, false],
  ['someone else', 'Mariana Gómez', null, null, false],
  ['a person not wanted', 'Bartholomew Quince Ferreira', '1970-01-01', null, false],
];

describe('screenPerson', () => {
  it.each(TABLE)('%s: %s (%s, %s) → hit %s', async (_row, name, dob, nationality, hit) => {
    const answer = await screen('officerQX', name, dob, nationality);
    expect(answer.hit).toBe(hit);
    if (hit) expect(answer).toMatchObject({ wantedBy: { code: 'QY' }, since: SINCE });
    else expect(answer).toMatchObject({ wantedBy: null, since: null });
  });

  it('answers the hit, the wanting country, the date and the advice, never the record', async () => {
    const answer = await screen('officerQX', 'Maria Jose Nanez Gutierrez');
    expect(answer.advice).toMatch(/confirm .*QY/);
    expect(JSON.stringify(answer)).not.toMatch(/QY-2025-117|Gutierrez|1985|Secret/i);
    const fields = expectOk(await as<{ __type: { fields: { name: string }[] } }>(id('officerQX'), '{ __type(name: "PersonScreeningResult") { fields { name } } }'));
    expect(fields.__type.fields.map((f) => f.name).sort()).toEqual(['advice', 'hit', 'since', 'wantedBy']);
  });

  it('records each screening in the audit trail, hit or no hit', async () => {
    await screen('adminQX', 'Maria Jose Nanez Gutierrez', '1985-07-12');
    await screen('adminQX', 'Nobody Atall Known');
    const events = await storedEvents({ officerId: id('adminQX'), action: 'SCREEN' });
    // The person of this run, or of an earlier run against the same database: the same record.
    expect(events.find((e) => e.outcome === 'HIT')).toMatchObject({ itemKind: 'Person', itemId: expect.stringMatching(/^wanted-.*-maria$/) });
    expect(events.find((e) => e.outcome === 'NO_HIT')).toMatchObject({ itemId: null });
  });

  it('refuses bad input and officers who are not active', async () => {
    expectCode(await as(id('officerQX'), SCREEN, { name: ' -- ' }), 'BAD_USER_INPUT');
    expectCode(await as(id('officerQX'), SCREEN, { name: 'Maria', dob: '12/07/1985' }), 'BAD_USER_INPUT');
    expectCode(await as(id('officerQX'), SCREEN, { name: 'Maria', dob: '1985-02-30' }), 'BAD_USER_INPUT');
    expectCode(await as(id('officerQX'), SCREEN, { name: 'Maria', nat: 'Freedonia' }), 'BAD_USER_INPUT');
    expectCode(await as(id('suspended'), SCREEN, { name: 'Maria Gutierrez' }), 'FORBIDDEN');
  });

  it('counts person and document screenings against one allowance per officer', async () => {
    const small = await startTestHub({ env: { SCREENING_PER_MINUTE: '3' } });
    try {
      const limited = actors(small);
      const document = `query { screenDocument(number: "${serial}1", issuingCountry: "QX") { hit } }`;
      expectOk(await limited(id('limited'), document));
      expectOk(await limited(id('limited'), document));
      expectOk(await limited(id('limited'), SCREEN, { name: 'Maria Gutierrez' }));
      const refused = await limited(id('limited'), SCREEN, { name: 'Maria Gutierrez' });
      expectCode(refused, 'RATE_LIMITED');
      const events = await storedEvents({ officerId: id('limited'), action: 'SCREEN' });
      expect(events.filter((e) => e.outcome === 'RATE_LIMITED')).toHaveLength(1);
    } finally {
      await small.stop();
    }
  });
});

const RECORD = `mutation($input: WantedInput!) { recordWanted(input: $input) { personId wantedBy { code } since reference } }`;
const WITHDRAW = `mutation($id: ID!) { withdrawWanted(personId: $id) }`;
const laterName = `Wenceslao ${serial} Oyarzun`;

describe('wanted records', () => {
  it("are recorded by the wanting country's NCB administrators, audited, and hit from the next request", async () => {
    expect((await screen('officerQX', laterName)).hit).toBe(false);
    const flag = expectOk(await as<{ recordWanted: unknown }>(id('adminQY'), RECORD, { input: { personId: id('later'), since: '2026-03-01T00:00:00Z', reference: 'QY-26-9' } }));
    expect(flag.recordWanted).toEqual({ personId: id('later'), wantedBy: { code: 'QY' }, since: '2026-03-01T00:00:00.000Z', reference: 'QY-26-9' });
    expect(await screen('officerQX', laterName)).toMatchObject({ hit: true, wantedBy: { code: 'QY' }, since: '2026-03-01T00:00:00.000Z' });
    const events = await storedEvents({ itemId: id('later'), action: 'UPDATE' });
    expect(events.map((e) => e.detail)).toContain('wanted recorded by QY');
  });

  it('belong to one country: others may neither take them over nor withdraw them, and plain officers may not record them', async () => {
    expectCode(await as(id('adminQX'), RECORD, { input: { personId: id('maria') } }), 'NOT_FOUND'); // not visible to QX: no report concerns her
    expectCode(await as(id('adminQX'), RECORD, { input: { personId: id('later') } }), 'CONFLICT');
    expectCode(await as(id('adminQX'), WITHDRAW, { id: id('later') }), 'FORBIDDEN');
    expectCode(await as(id('officerQX'), RECORD, { input: { personId: id('later') } }), 'FORBIDDEN');
    expectCode(await as(id('adminQY'), RECORD, { input: { personId: id('nobody') } }), 'NOT_FOUND');
    expect((await screen('officerQX', laterName)).hit).toBe(true);
  });

  it('stop hitting on the very next request once withdrawn', async () => {
    const name = `Leocadia ${serial} Ybarra`;
    expectOk(await as(id('adminQY'), RECORD, { input: { personId: id('withdrawn') } }));
    expect((await screen('officerQX', name)).hit).toBe(true);
    expect(expectOk(await as<{ withdrawWanted: boolean }>(id('adminQY'), WITHDRAW, { id: id('withdrawn') })).withdrawWanted).toBe(true);
    expect((await screen('officerQX', name)).hit).toBe(false);
    expectCode(await as(id('adminQY'), WITHDRAW, { id: id('withdrawn') }), 'NOT_FOUND');
    const events = await storedEvents({ itemId: id('withdrawn'), action: 'UPDATE' });
    expect(events.map((e) => e.detail)).toEqual(['wanted recorded by QY', 'wanted withdrawn by QY']);
  });
});

describe('wanted records in the import', () => {
  it('must name a member country as wanting, and nothing is written when one does not', async () => {
    const db = await testDb();
    const bad = {
      subjects: [
        { id: id('imported'), kind: 'PERSON', recordedBy: 'QX', name: 'Imported Person', wanted: { by: 'QQ9', since: SINCE } },
        { id: id('imported2'), kind: 'PERSON', recordedBy: 'QX', name: 'Imported Person', wanted: { by: 'XJ', since: 'yesterday' } },
        { id: id('imported3'), kind: 'PERSON', recordedBy: 'QX', name: 'Imported Person', wanted: { by: 'QT' } },
      ],
    } as unknown as ImportFile;
    const unknownCountry = { subjects: [{ id: id('imported4'), kind: 'PERSON', recordedBy: 'QX', name: 'Imported Person', wanted: { by: 'ZY', since: SINCE } }] } as ImportFile;
    for (const file of [bad, unknownCountry]) {
      const error = await importFile(db, file).then(() => null, (e: { extensions?: { problems?: { record: string; field: string }[] } }) => e);
      expect(error?.extensions?.problems?.length).toBeGreaterThan(0);
      expect(error!.extensions!.problems!.every((p) => p.field.startsWith('wanted'))).toBe(true);
    }
    const written = await db.read<{ n: number }>({ cypher: 'MATCH (p:Person) WHERE p.id STARTS WITH $p RETURN count(p) AS n', params: { p: id('imported') } });
    expect(written[0].n).toBe(0);
  });

  it('hit once imported, and a re-import without the flag withdraws it', async () => {
    const db = await testDb();
    const person = { id: id('importedWanted'), kind: 'PERSON', recordedBy: 'QX', name: `Ildefonso ${serial} Quiroga` };
    await importFile(db, { subjects: [{ ...person, wanted: { by: 'QX', since: SINCE } }] } as ImportFile);
    expect(await screen('officerQX', `Quiroga Ildefonso ${serial}`)).toMatchObject({ hit: true, wantedBy: { code: 'QX' } });
    await importFile(db, { subjects: [person] } as ImportFile);
    expect((await screen('officerQX', `Quiroga Ildefonso ${serial}`)).hit).toBe(false);
  });
});
