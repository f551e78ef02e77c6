import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateImport, generatedCounts, mulberry32, writeGenerated } from '../../src/import/generate';
import { countRecords } from '../../src/import/types';
import { validateImport } from '../../src/import/validate';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ison-generate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('generator', () => {
  const small = generateImport({ scale: 'S', seed: 7 });

  it('gives the same file for the same seed and another for another seed', () => {
    expect(generateImport({ scale: 'S', seed: 7 })).toEqual(small);
    expect(generateImport({ scale: 'S', seed: 8 }).reports![0]).not.toEqual(small.reports![0]);
    expect(Array.from({ length: 3 }, mulberry32(1))).toEqual(Array.from({ length: 3 }, mulberry32(1)));
  });

  it('produces a valid file at scale S', () => {
    const result = validateImport(small);
    expect(result.ok ? [] : result.problems.slice(0, 5)).toEqual([]);
    expect(countRecords(small)).toBeGreaterThan(12_000);
  });

  it('sizes M near the brief and S near a hundredth of it', () => {
    const m = generatedCounts({ scale: 'M', seed: 1 });
    expect(m).toMatchObject({ countries: 150, units: 2000, officers: 20_000, operations: 1000, reports: 200_000, subjects: 300_000 });
    expect(small.reports!.length).toBe(2000);
    expect(small.links!.length).toBeGreaterThan(8000);
    expect(generatedCounts({ scale: 'L', seed: 1 }).reports).toBe(600_000);
  });

  it('skews subject degrees: a few hubs appear in many reports', () => {
    const degree = new Map<string, number>();
    for (const report of small.reports!) for (const s of report.subjects!) degree.set(s, (degree.get(s) ?? 0) + 1);
    const sorted = [...degree.values()].sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(20 * sorted[Math.floor(sorted.length / 2)]);
  });

  it('streams to disk exactly the file it builds in memory', async () => {
    const file = path.join(dir, 's.json');
    const records = await writeGenerated(file, { scale: 'S', seed: 7 });
    expect(records).toBe(countRecords(small));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(small);
  });
});
