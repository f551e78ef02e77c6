import { useState } from 'react';
import { gql, HubRequestError } from '../api';
import { POST_UPDATE } from '../operations';
import { LEVELS, type Level, type Outcome } from '../types';
import type { Session } from './App';

const KINDS = ['CHECK', 'ARREST', 'SEIZURE', 'RESCUE', 'DETECTION', 'INTELLIGENCE', 'NOTE'];
const METRICS: (keyof Outcome)[] = ['arrests', 'migrantsDetected', 'victimsRescued', 'checks', 'seizures'];

/**
 * Posts an update as the signed-in officer. The client id is kept until the hub answers, so
 * pressing Post again after a lost answer cannot post twice (the mutation is idempotent on it).
 */
export function PostUpdate({ session, operationId }: { session: Session; operationId: string }) {
  const allowed = LEVELS.slice(0, LEVELS.indexOf(session.me.clearance) + 1);
  const [kind, setKind] = useState('CHECK');
  const [text, setText] = useState('');
  const [classification, setClassification] = useState<Level>(allowed[0]);
  const [metrics, setMetrics] = useState<Partial<Record<keyof Outcome, string>>>({});
  const [clientId, setClientId] = useState(() => crypto.randomUUID());
  const [status, setStatus] = useState<{ error?: string; busy?: boolean; posted?: string }>({});

  const submit = async () => {
    setStatus({ busy: true });
    const numbers = Object.fromEntries(
      METRICS.filter((key) => metrics[key]?.trim()).map((key) => [key, Number(metrics[key])]),
    );
    try {
      const { postOperationUpdate } = await gql<{ postOperationUpdate: { id: string } }>(session.token, POST_UPDATE, {
        operationId,
        input: { id: clientId, kind, text, classification, ...(Object.keys(numbers).length ? { metrics: numbers } : {}) },
      });
      setText('');
      setMetrics({});
      setClientId(crypto.randomUUID());
      setStatus({ posted: postOperationUpdate.id });
    } catch (e) {
      setStatus({ error: e instanceof HubRequestError ? `${e.code}: ${e.message}` : String(e) });
      // Only an answer that says nothing was written frees the id; a lost answer keeps it.
      if (e instanceof HubRequestError && e.code !== 'INTERNAL_SERVER_ERROR') setClientId(crypto.randomUUID());
    }
  };

  return (
    <form
      className="post-update"
      data-testid="post-update"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h2>Post an update</h2>
      <div className="row">
        <label>
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value)}>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Classification
          <select name="classification" value={classification} onChange={(e) => setClassification(e.target.value as Level)}>
            {allowed.map((level) => (
              <option key={level}>{level}</option>
            ))}
          </select>
        </label>
      </div>
      <label>
        Text
        <textarea name="text" rows={3} value={text} onChange={(e) => setText(e.target.value)} required />
      </label>
      <div className="row metrics-input">
        {METRICS.map((key) => (
          <label key={key}>
            {key}
            <input
              name={key}
              type="number"
              min={0}
              value={metrics[key] ?? ''}
              onChange={(e) => setMetrics((m) => ({ ...m, [key]: e.target.value }))}
            />
          </label>
        ))}
      </div>
      <button type="submit" disabled={status.busy || !text.trim()}>
        Post
      </button>
      {status.error && (
        <p className="error" role="alert">
          {status.error}
        </p>
      )}
      {status.posted && (
        <p className="muted" data-testid="posted">
          Posted {status.posted}
        </p>
      )}
    </form>
  );
}
