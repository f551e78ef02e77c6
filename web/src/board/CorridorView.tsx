import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'react';
import { gql } from '../api';
import { CORRIDORS } from '../operations';
import type { Corridor } from '../types';
import type { Session } from './App';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ['#2563eb', '#d97706', '#059669', '#db2777', '#9333ea', '#0ea5e9', '#ef4444', '#84cc16', '#64748b', '#f59e0b'];
const SHOWN_CORRIDORS = 8;

export const routeName = (c: Pick<Corridor, 'origin' | 'transit' | 'destination'>) => [c.origin, ...c.transit, c.destination].join(' → ');

/** `YYYY-MM` months, both included, as the [since, until) of `corridors`. */
function monthBounds(since: string, until: string): { since?: string; until?: string } {
  const start = (month: string) => new Date(`${month}-01T00:00:00Z`);
  const bounds: { since?: string; until?: string } = {};
  if (/^\d{4}-\d{2}$/.test(since)) bounds.since = start(since).toISOString();
  if (/^\d{4}-\d{2}$/.test(until)) {
    const end = start(until);
    end.setUTCMonth(end.getUTCMonth() + 1);
    bounds.until = end.toISOString();
  }
  return bounds;
}

/** The officer's visible corridors by month: reports per month, stacked by route (the busiest routes; the rest as "other"). */
export function CorridorView({ session }: { session: Session }) {
  const [rows, setRows] = useState<Corridor[] | null>(null);
  const [shown, setShown] = useState({ since: '', until: '' });
  const [period, setPeriod] = useState({ since: '', until: '' });
  const [error, setError] = useState<string | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let cancelled = false;
    const bounds = monthBounds(period.since, period.until);
    gql<{ corridors: Corridor[] }>(session.token, CORRIDORS, bounds)
      .then(({ corridors }) => {
        if (cancelled) return;
        setError(null);
        setRows(corridors);
        setShown(period);
      })
      .catch((e: unknown) => !cancelled && setError(String((e as Error).message ?? e)));
    return () => {
      cancelled = true;
    };
  }, [session.token, period]);

  useEffect(() => {
    if (!rows || !canvas.current) return;
    const months = [...new Set(rows.map((r) => r.month ?? ''))].sort();
    const totals = new Map<string, number>();
    for (const row of rows) totals.set(routeName(row), (totals.get(routeName(row)) ?? 0) + row.reports);
    const top = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, SHOWN_CORRIDORS).map(([name]) => name);
    const series = [...top, ...(totals.size > top.length ? ['other'] : [])];
    const chart = new Chart(canvas.current, {
      type: 'bar',
      data: {
        labels: months,
        datasets: series.map((name, index) => ({
          label: name,
          backgroundColor: PALETTE[index % PALETTE.length],
          data: months.map((month) =>
            rows
              .filter((r) => (r.month ?? '') === month && (name === 'other' ? !top.includes(routeName(r)) : routeName(r) === name))
              .reduce((sum, r) => sum + r.reports, 0),
          ),
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'reports' } } },
        plugins: { legend: { position: 'bottom' } },
      },
    });
    return () => chart.destroy();
  }, [rows]);

  return (
    <div className="corridors">
      <h1>Corridors by month</h1>
      <p className="muted">Routes of the reports you may see, by the month they were created.</p>
      <form className="period" onSubmit={(event) => event.preventDefault()}>
        <label>
          From month <input type="month" name="since" value={period.since} onChange={(e) => setPeriod((p) => ({ ...p, since: e.target.value }))} />
        </label>
        <label>
          To month <input type="month" name="until" value={period.until} onChange={(e) => setPeriod((p) => ({ ...p, until: e.target.value }))} />
        </label>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="chart-box">
        <canvas ref={canvas} data-testid="corridor-chart" />
      </div>
      {rows && (
        <table className="corridor-table" data-testid="corridor-table" data-since={shown.since} data-until={shown.until}>
          <thead>
            <tr>
              <th>Month</th>
              <th>Route</th>
              <th>Reports</th>
              <th>Persons</th>
              <th>Last seen</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={`${row.month}|${routeName(row)}`} data-testid="corridor-row" data-route={routeName(row)} data-month={row.month ?? ''}>
                <td>{row.month}</td>
                <td>{routeName(row)}</td>
                <td>{row.reports}</td>
                <td>{row.persons}</td>
                <td>{row.lastSeen.slice(0, 10)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
