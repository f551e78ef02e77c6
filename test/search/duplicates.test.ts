import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportFile } from '../../src/import/types';
import { expectCode, expectOk, startCachingHub, type CachingHub, type Caller } from '../support/actors';
import { uniquePrefix } from '../support/db';
import { worldBuilder } from '../support/world';

/**
 * possibleDuplicates against the real Neo4j: the same normalised document number, the same
 * phone in E.164, or a similar name with the same date of birth — across countries, and only
 * where the viewer may see both subjects (and read both names). Countries XB and XC are this file's own.
 */
const prefix = uniquePrefix('dups');
const { id, members, officer } = worldBuilder(prefix);
const serial = prefix.replace(/[^a-z0-9]/gi, '').toUpperCase().slice(-8);

function world(): ImportFile {
  const person = (name: string, recordedBy: string, fullName: string, dateOfBirth: string | null, extra: Record<string, unknown> = {}) => ({
    id: id(name), kind: 'PERSON', recordedBy, name: fullName, dateOfBirth, ...extra,
  });
  const doc = (name: string, recordedBy: string, number: string, issuingCountry: string) => ({
    id: id(name), kind: 'TRAVEL_DOCUMENT', recordedBy, number, issuingCountry, documentType: 'PASSPORT',
  });
  const report = (name: string, owner: string, classification: string, subjects: string[]) => ({
    id: id(name), owner, author: id(`officer${owner}`), title: name, classification, handling: 'H0',
    releasability: { mode: 'NETWORK', countries: [] }, createdAt: '2026-01-01T00:00:00Z', subjects: subjects.map(id),
  });
  return {
    ...members(['XB', 'XC']),
    officers: [officer('officerXB', 'XB', ['ANALYST']), officer('officerXC', 'XC', ['ANALYST'])],
    subjects: [
      person('pA', 'XB', 'Carlos Andrés Mejía', '1990-05-05'),
      person('pB', 'XC', 'MEJIA, Carlos Andres', '1990-05-05'),
      person('pC', 'XC', 'Carlos Mejía', '1991-05-05'),
      person('pD', 'XC', 'Karlos Andres Mejia', '1990-05-05'),
      person('pE', 'XC', 'Carlos Andres Mejia', '1990-05-05', { protected: true }),
      person('pF', 'XC', 'Someone Else', null),
      person('pG', 'XC', 'Carlos Andres Mejia', '1990-05-05'),
      doc('d1', 'XB', `AB-${serial} 12`, 'XB'),
      doc('d2', 'XC', `ab${serial}12`.toLowerCase(), 'XB'),
      doc('d3', 'XC', `AB${serial}12`, 'XC'),
      doc('d4', 'XC', `AB${serial}12`, 'XB'),
      { id: id('ph1'), kind: 'PHONE', recordedBy: 'XB', number: '+57 300 123 4567' },
      { id: id('ph2'), kind: 'PHONE', recordedBy: 'XC', number: '+57 (300) 123-4567' },
      { id: id('ph3'), kind: 'PHONE', recordedBy: 'XC', number: '+57 300 123 4568' },
    ],
    reports: [
      report('rB', 'XB', 'UNCLASSIFIED', ['pA', 'd1', 'ph1']),
      report('rC', 'XC', 'UNCLASSIFIED', ['pB', 'pC', 'pD', 'pE', 'pF', 'd2', 'd3', 'ph2', 'ph3']),
      report('rSecret', 'XC', 'CONFIDENTIAL', ['pG', 'd4']),
    ],
    links: [
      { id: id('lA'), from: id('pA'), to: id('d1'), kind: 'USES_DOCUMENT', report: id('rB') },
      { id: id('lF'), from: id('pF'), to: id('d2'), kind: 'USES_DOCUMENT', report: id('rC') },
    ],
  } as ImportFile;
}

const DUPLICATES = `query($id: ID!) { possibleDuplicates(subjectId: $id) { subject { id kind } reasons } }`;
type Candidate = { subject: { id: string; kind: string }; reasons: string[] };

let hub: CachingHub;
const as: Caller = (...args) => hub.as(...args);

beforeAll(async () => {
  hub = await startCachingHub(world());
});
afterAll(() => hub?.t.stop());

async function duplicates(who: string, subject: string): Promise<Record<string, string[]> | null> {
  const found = expectOk(await as<{ possibleDuplicates: Candidate[] | null }>(id(who), DUPLICATES, { id: id(subject) })).possibleDuplicates;
  // Earlier runs against the same database hold look-alikes of this world: compare this run's only.
  return found && Object.fromEntries(found.filter((c) => c.subject.id.startsWith(`${prefix}-`)).map((c) => [c.subject.id.replace(`${prefix}-`, ''), c.reasons]));
}

describe('possibleDuplicates', () => {
  it('finds persons of other countries by a similar name and the same date of birth, not by a document they are linked to', async () => {
    expect(await duplicates('officerXB', 'pA')).toEqual({
      pB: ['NAME_AND_DATE_OF_BIRTH'],
      pD: ['NAME_AND_DATE_OF_BIRTH'],
    });
  });

  it('lists a candidate only when the viewer may see it, and compares names only where the viewer may read them', async () => {
    // XC sees its own confidential report's person and its own protected person's name.
    expect(await duplicates('officerXC', 'pA')).toEqual({
      pB: ['NAME_AND_DATE_OF_BIRTH'],
      pD: ['NAME_AND_DATE_OF_BIRTH'],
      pE: ['NAME_AND_DATE_OF_BIRTH'],
      pG: ['NAME_AND_DATE_OF_BIRTH'],
    });
  });

  it('matches travel documents by their normalised number and issuing country', async () => {
    expect(await duplicates('officerXB', 'd1')).toEqual({ d2: ['DOCUMENT_NUMBER'] });
    expect(await duplicates('officerXC', 'd1')).toEqual({ d2: ['DOCUMENT_NUMBER'], d4: ['DOCUMENT_NUMBER'] });
  });

  it('matches phones by their E.164 number however they were written', async () => {
    expect(await duplicates('officerXB', 'ph1')).toEqual({ ph2: ['PHONE_NUMBER'] });
  });

  it('answers null for a subject the viewer may not see, exactly as for an unknown one', async () => {
    expect(await duplicates('officerXB', 'pG')).toBeNull();
    expect(await duplicates('officerXB', 'nobody')).toBeNull();
    expectCode(await as(id('officerXB'), DUPLICATES, { id: 'bad id!' }), 'BAD_USER_INPUT');
  });
});
