import type { Db, Statement } from './db';

/**
 * Every LINK carries its asserting report's policy fields (ownerCode, classRank, relMode,
 * relCountries, operationId, expiresAt; DESIGN §3: a link is visible iff its report is), so the
 * same `itemPredicate(ctx, 'l')` judges the relationship itself, inside a traversal's
 * expansion, without a lookup of the report per step (src/graph/analysis.ts).
 *
 * The copy is written in the same transaction as every change of the report or of its links:
 * `updateReport`, `setReleasability` and `linkSubjects` (src/graph/writes/reports.ts), the
 * import's reports and links sections (src/graph/import.ts), and `backfillLinkPolicy` for
 * links stored before the fields existed. test/analysis/link-policy.test.ts proves they never
 * drift.
 */
export const LINK_POLICY_FIELDS = ['ownerCode', 'classRank', 'relMode', 'relCountries', 'operationId', 'expiresAt'] as const;

/** A SET clause copying the policy fields of report `r` onto link `l`. */
export function copyReportPolicy(link: string, report: string): string {
  return LINK_POLICY_FIELDS.map((field) => `${link}.${field} = ${report}.${field}`).join(', ');
}

/** Re-copies the policy fields of each report in `$ids` onto the links it asserts (link_report index). */
export function syncLinksOfReportsStatement(reportIds: readonly string[]): Statement {
  return {
    cypher: `UNWIND $ids AS id
MATCH (r:IntelReport {id: id})
MATCH ()-[l:LINK {reportId: id}]->()
SET ${copyReportPolicy('l', 'r')}`,
    params: { ids: reportIds },
  };
}

/**
 * Links stored before they carried policy fields get them, in batches. A link whose report is
 * missing (the import never writes one) is made invisible to everyone: a class rank above every
 * clearance, and no owner.
 */
const BACKFILL_BATCH = 10_000;
const backfillCypher = `MATCH ()-[l:LINK]->() WHERE l.classRank IS NULL
WITH l LIMIT $batch
OPTIONAL MATCH (r:IntelReport {id: l.reportId})
SET ${copyReportPolicy('l', 'r')}
SET l.classRank = coalesce(r.classRank, 1000)
RETURN count(l) AS done`;

export async function backfillLinkPolicy(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const [{ done }] = await db.write<{ done: number }>({ cypher: backfillCypher, params: { batch: BACKFILL_BATCH } });
    total += done;
    if (done < BACKFILL_BATCH) return total;
  }
}
