import { useEffect, useRef, useState } from 'react';
import { gql, subscribeResumable } from '../api';
import { LIVE_UPDATES, OPERATION, OPERATION_UPDATES_PAGE, OUTCOME } from '../operations';
import type { OperationDetail, Outcome, Update } from '../types';
import type { Session } from './App';
import { PostUpdate } from './PostUpdate';

interface UpdatesPage {
  operation: { updates: { edges: { node: Update }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null;
}

const OUTCOME_LABELS: [keyof Outcome, string][] = [
  ['arrests', 'Arrests'],
  ['migrantsDetected', 'Migrants detected'],
  ['victimsRescued', 'Victims rescued'],
  ['checks', 'Checks'],
  ['seizures', 'Seizures'],
];

/**
 * One operation: who takes part, who is assigned, the outcome, and the feed. The feed is the
 * visible history (oldest first, paged) and then the live subscription resumed from its last
 * cursor, so nothing posted between the two is lost; the hub decides per update what this
 * officer may see, live and in history alike.
 */
export function OperationBoard({ session, operationId }: { session: Session; operationId: string }) {
  const [operation, setOperation] = useState<OperationDetail | null | undefined>(undefined);
  const [updates, setUpdates] = useState<Update[]>([]);
  const [feedError, setFeedError] = useState<string | null>(null);
  const outcomeTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    let cancelled = false;
    let stop = () => {};
    (async () => {
      const { operation } = await gql<{ operation: OperationDetail | null }>(session.token, OPERATION, { id: operationId });
      if (cancelled) return;
      setOperation(operation);
      if (!operation) return;
      const history: Update[] = [];
      let after: string | null = null;
      for (;;) {
        const page: UpdatesPage = await gql<UpdatesPage>(session.token, OPERATION_UPDATES_PAGE, { id: operationId, after });
        if (!page.operation) break;
        history.push(...page.operation.updates.edges.map((edge) => edge.node));
        if (!page.operation.updates.pageInfo.hasNextPage) break;
        after = page.operation.updates.pageInfo.endCursor;
      }
      if (cancelled) return;
      setUpdates(history);
      const last = history.length ? history[history.length - 1].cursor : null;
      const subscription = subscribeResumable<Update>(
        session.live,
        LIVE_UPDATES,
        { operationId, after: last },
        (data) => data.operationUpdates as Update,
        {
          next: (update) => {
            setUpdates((current) => (current.some((u) => u.id === update.id) ? current : [...current, update]));
            clearTimeout(outcomeTimer.current);
            outcomeTimer.current = setTimeout(() => {
              gql<{ operation: { outcome: Outcome } | null }>(session.token, OUTCOME, { id: operationId })
                .then(({ operation: fresh }) => fresh && setOperation((o) => (o ? { ...o, outcome: fresh.outcome } : o)))
                .catch(() => {});
            }, 250);
          },
          error: (error) => setFeedError(`${error.extensions?.code ?? 'ERROR'}: ${error.message}`),
        },
      );
      stop = subscription.stop;
    })().catch((e: unknown) => !cancelled && setFeedError(String((e as Error).message ?? e)));
    return () => {
      cancelled = true;
      stop();
      clearTimeout(outcomeTimer.current);
    };
  }, [session.token, session.live, operationId]);

  if (operation === undefined) return <p className="muted">Loading…</p>;
  if (operation === null) return <p className="error" data-testid="operation-missing">No operation {operationId} is visible to you.</p>;

  const { me } = session;
  const assigned = operation.assignments.some((a) => a.officer.id === me.id);
  const leadManager = me.country.code === operation.leadCountry.code && me.roles.some((r) => r === 'COORDINATOR' || r === 'NCB_ADMIN');
  const canPost = operation.status === 'ACTIVE' && (assigned || leadManager);

  return (
    <article className="board" data-testid="operation-board" data-operation-id={operation.id}>
      <header>
        <h1>{operation.codename}</h1>
        <p className="muted">
          {operation.status} · {operation.visibility} · led by {operation.leadCountry.name} ({operation.leadCountry.code})
          {operation.startsAt && ` · ${operation.startsAt.slice(0, 10)} → ${operation.endsAt?.slice(0, 10) ?? '…'}`}
        </p>
        {operation.objective && <p>{operation.objective}</p>}
      </header>
      <section className="outcome" data-testid="outcome">
        {OUTCOME_LABELS.map(([key, label]) => (
          <div key={key} className="figure" data-metric={key}>
            <span className="value">{operation.outcome[key]}</span>
            <span className="label">{label}</span>
          </div>
        ))}
      </section>
      <div className="columns">
        <section className="people">
          <h2>Participants</h2>
          <ul className="chips" data-testid="participants">
            <li className="chip lead" title="lead country">{operation.leadCountry.code}</li>
            {operation.participants.map((country) => (
              <li key={country.code} className="chip" title={country.name}>
                {country.code}
              </li>
            ))}
          </ul>
          <h2>Assigned officers</h2>
          <table data-testid="assignments">
            <tbody>
              {operation.assignments.map((assignment) => (
                <tr key={assignment.officer.id}>
                  <td>{assignment.officer.name}</td>
                  <td>{assignment.officer.country.code}</td>
                  <td className="muted">{assignment.role}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {canPost && <PostUpdate session={session} operationId={operation.id} />}
        </section>
        <section className="feed">
          <h2>
            Updates <span className="muted" data-testid="update-count">{updates.length}</span>
          </h2>
          {feedError && (
            <p className="error" role="alert">
              {feedError}
            </p>
          )}
          <ol data-testid="feed">
            {[...updates].reverse().map((update) => (
              <li
                key={update.id}
                className={`update level-${update.classification.toLowerCase()}`}
                data-testid="update"
                data-update-id={update.id}
                data-classification={update.classification}
                data-owner={update.owner.code}
              >
                <div className="meta">
                  <span className={`badge level-${update.classification.toLowerCase()}`}>{update.classification}</span>
                  <span className="owner" title={update.owner.name}>{update.owner.code}</span>
                  <span className="kind">{update.kind}</span>
                  <time dateTime={update.postedAt}>{update.postedAt.slice(0, 16).replace('T', ' ')} UTC</time>
                  {update.author && <span className="muted">{update.author.name}</span>}
                </div>
                <p className="text">{update.text}</p>
                {update.metrics && <Metrics metrics={update.metrics} />}
              </li>
            ))}
          </ol>
        </section>
      </div>
    </article>
  );
}

function Metrics({ metrics }: { metrics: Outcome }) {
  const shown = OUTCOME_LABELS.filter(([key]) => metrics[key] > 0);
  if (!shown.length) return null;
  return (
    <p className="metrics muted">
      {shown.map(([key, label]) => `${label.toLowerCase()} ${metrics[key]}`).join(' · ')}
    </p>
  );
}
