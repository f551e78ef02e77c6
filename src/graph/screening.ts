import type { Db } from './db';
import { documentNumberKey } from './import';
import type { DocumentStatus } from './records';

/**
 * Hit/no-hit screening of travel documents (DESIGN §3, Screening). It reads the document
 * record only, never a report, so nothing of any report's content can leave through it.
 */

export interface ScreeningRecord {
  id: string;
  status: DocumentStatus;
  recordedBy: string;
  reportedAt: string | null;
}

const screeningCypher = `MATCH (d:TravelDocument {numberKey: $numberKey, issuingCountry: $issuingCountry})
WHERE d.status IN ['STOLEN', 'LOST', 'REVOKED']
RETURN d.id AS id, d.status AS status, d.recordedBy AS recordedBy, d.reportedAt AS reportedAt
ORDER BY d.reportedAt DESC, d.id
LIMIT 1`;

export async function screenTravelDocument(db: Db, number: string, issuingCountry: string): Promise<ScreeningRecord | null> {
  const [row] = await db.read<ScreeningRecord>({
    cypher: screeningCypher,
    params: { numberKey: documentNumberKey(number), issuingCountry },
  });
  return row ?? null;
}
