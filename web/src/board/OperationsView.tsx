import { useEffect, useState } from 'react';
import { gql } from '../api';
import { OPERATIONS } from '../operations';
import type { OperationSummary } from '../types';
import type { Session } from './App';
import { OperationBoard } from './OperationBoard';
import { href } from './route';

interface OperationsPage {
  operations: { totalCount: number; edges: { node: OperationSummary }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

/** The operations the officer may see, and the board of the one chosen. */
export function OperationsView({ session, operationId }: { session: Session; operationId: string | null }) {
  const [operations, setOperations] = useState<OperationSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const all: OperationSummary[] = [];
      let after: string | null = null;
      do {
        const page: OperationsPage = await gql<OperationsPage>(session.token, OPERATIONS, { after });
        all.push(...page.operations.edges.map((edge) => edge.node));
        after = page.operations.pageInfo.hasNextPage ? page.operations.pageInfo.endCursor : null;
      } while (after);
      if (!cancelled) setOperations(all);
    })().catch((e: unknown) => !cancelled && setError(String((e as Error).message ?? e)));
    return () => {
      cancelled = true;
    };
  }, [session.token]);

  return (
    <div className="operations">
      <aside className="operation-list" data-testid="operation-list">
        <h2>Operations</h2>
        {error && <p className="error">{error}</p>}
        {operations === null && !error && <p className="muted">Loading…</p>}
        {operations?.length === 0 && <p className="muted">No operation is visible to you.</p>}
        <ul>
          {operations?.map((operation) => (
            <li key={operation.id} className={operation.id === operationId ? 'selected' : ''}>
              <a href={href.operation(operation.id)} data-operation-id={operation.id}>
                <strong>{operation.codename}</strong>
                <span className="muted">
                  {operation.leadCountry.code} · {operation.status.toLowerCase()} · {operation.visibility.toLowerCase()}
                </span>
              </a>
            </li>
          ))}
        </ul>
      </aside>
      <section className="operation-main">
        {operationId ? <OperationBoard key={operationId} session={session} operationId={operationId} /> : <p className="muted">Choose an operation.</p>}
      </section>
    </div>
  );
}
