import type { Db } from './db';
import { backfillLinkPolicy } from './link-policy';

/**
 * Schema migrations: a unique constraint for every key of the graph model (docs/graph-model.md)
 * and the indexes the queries start from. Every statement is IF NOT EXISTS, so running them
 * again changes nothing.
 */
export const MIGRATIONS: string[] = [
  'CREATE CONSTRAINT country_code IF NOT EXISTS FOR (n:Country) REQUIRE n.code IS UNIQUE',
  'CREATE CONSTRAINT partner_id IF NOT EXISTS FOR (n:Partner) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT unit_id IF NOT EXISTS FOR (n:Unit) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT officer_id IF NOT EXISTS FOR (n:Officer) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT operation_id IF NOT EXISTS FOR (n:Operation) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT operation_update_id IF NOT EXISTS FOR (n:OperationUpdate) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT intel_report_id IF NOT EXISTS FOR (n:IntelReport) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT subject_id IF NOT EXISTS FOR (n:Subject) REQUIRE n.id IS UNIQUE',
  'CREATE CONSTRAINT sequence_name IF NOT EXISTS FOR (n:Sequence) REQUIRE n.name IS UNIQUE',
  // Access events are append-only and never looked up by id (their ids are random UUIDs, the
  // access log starts from the item index below): a uniqueness constraint would only add an
  // index lookup and insert to every audit write, which sits on the path of every response
  // and live delivery.
  'DROP CONSTRAINT access_event_id IF EXISTS',
  'CREATE CONSTRAINT audit_journal_segment IF NOT EXISTS FOR (n:AuditJournalSegment) REQUIRE n.name IS UNIQUE',
  // Feeds and filters start from these.
  'CREATE INDEX intel_report_created IF NOT EXISTS FOR (n:IntelReport) ON (n.createdAt)',
  'CREATE INDEX intel_report_owner IF NOT EXISTS FOR (n:IntelReport) ON (n.ownerCode)',
  'CREATE INDEX intel_report_operation IF NOT EXISTS FOR (n:IntelReport) ON (n.operationId)',
  'CREATE INDEX operation_update_seq IF NOT EXISTS FOR (n:OperationUpdate) ON (n.seq)',
  'CREATE INDEX operation_update_operation IF NOT EXISTS FOR (n:OperationUpdate) ON (n.operationId, n.seq)',
  'CREATE INDEX officer_status IF NOT EXISTS FOR (n:Officer) ON (n.status)',
  'CREATE INDEX operation_status IF NOT EXISTS FOR (n:Operation) ON (n.status)',
  'CREATE INDEX travel_document_number IF NOT EXISTS FOR (n:TravelDocument) ON (n.numberKey, n.issuingCountry)',
  'CREATE INDEX person_name IF NOT EXISTS FOR (n:Person) ON (n.name)',
  'CREATE INDEX access_event_item IF NOT EXISTS FOR (n:AccessEvent) ON (n.itemId, n.at)',
  'CREATE INDEX link_id IF NOT EXISTS FOR ()-[l:LINK]-() ON (l.id)',
  'CREATE INDEX link_report IF NOT EXISTS FOR ()-[l:LINK]-() ON (l.reportId)',
];

export async function migrate(db: Db): Promise<number> {
  for (const cypher of MIGRATIONS) {
    await db.write({ cypher });
  }
  await db.write({ cypher: 'CALL db.awaitIndexes(300)' });
  // Data, not schema: links stored before they carried their report's policy fields.
  await backfillLinkPolicy(db);
  return MIGRATIONS.length;
}
