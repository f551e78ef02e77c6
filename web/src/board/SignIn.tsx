import { useEffect, useState } from 'react';

interface DemoOfficer {
  id: string;
  name: string;
  country: string;
  roles: string[];
  clearance: string;
  note: string;
  token: string;
}

/** Sign-in by pasting a bearer token; in development the hub also lists its demo officers. */
export function SignIn(props: { error: string | null; busy: boolean; onToken(token: string): void }) {
  const [value, setValue] = useState('');
  const [demo, setDemo] = useState<DemoOfficer[]>([]);

  useEffect(() => {
    fetch('/board/demo-officers')
      .then((response) => (response.ok ? (response.json() as Promise<{ officers: DemoOfficer[] }>) : { officers: [] }))
      .then(({ officers }) => setDemo(officers))
      .catch(() => setDemo([]));
  }, []);

  return (
    <div className="sign-in">
      <h1>ISON Hub · operations board</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const token = value.trim().replace(/^Bearer\s+/i, '');
          if (token) props.onToken(token);
        }}
      >
        <label htmlFor="token">Paste your bearer token</label>
        <textarea id="token" name="token" rows={4} value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} />
        <button type="submit" disabled={props.busy || !value.trim()}>
          Sign in
        </button>
      </form>
      {props.error && (
        <p className="error" role="alert">
          {props.error}
        </p>
      )}
      {demo.length > 0 && (
        <section className="demo-officers" data-testid="demo-officers">
          <h2>Development: demo officers</h2>
          <ul>
            {demo.map((officer) => (
              <li key={officer.id}>
                <button type="button" onClick={() => props.onToken(officer.token)}>
                  {officer.name}
                </button>{' '}
                {officer.country} · {officer.roles.join('/')} · {officer.clearance} — {officer.note}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
