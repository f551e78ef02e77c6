import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Heap and page cache for the local Neo4j, the way `neo4j-admin server memory-recommendation`
 * sizes them: leave the operating system its share, give the heap part of the rest, and give
 * the page cache what the store needs (its files plus room to grow) from what is left, since a
 * page cache larger than the store buys nothing and a smaller one turns reads into disk I/O.
 * (Neo4j's own example, a dedicated 16 GiB machine: ~4 GiB for the OS, 5 GiB heap, 7 GiB page
 * cache.) The defaults before this (2 GiB heap, 512 MiB page cache) were below a scale-M store
 * (~1.5 GiB), so an import or a feed read paged against the disk.
 */
export interface MemorySizing {
  heapMb: number;
  pageCacheMb: number;
}

const MB = 1024 * 1024;

export function recommendMemory(totalBytes: number, storeBytes: number): MemorySizing {
  const total = totalBytes / MB;
  const osMb = Math.max(1024, total * 0.25);
  const available = Math.max(1024, total - osMb);
  // JVMs above ~31 GiB lose compressed pointers; below 512 MiB Neo4j itself struggles.
  const heapMb = Math.round(Math.min(31 * 1024, Math.max(512, available * 0.4)));
  const wanted = (storeBytes / MB) * 1.2 + 512;
  const pageCacheMb = Math.round(Math.max(128, Math.min(available - heapMb, wanted)));
  return { heapMb, pageCacheMb };
}

/** Bytes of the files under `dir` (0 when it does not exist yet). */
export function folderBytes(dir: string): number {
  let total = 0;
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of entries) {
    const file = path.join(dir, name);
    const stat = statSync(file, { throwIfNoEntry: false });
    if (!stat) continue;
    total += stat.isDirectory() ? folderBytes(file) : stat.size;
  }
  return total;
}

/** For a store in `homeDir` that is expected to grow by `growthBytes` (an import's file, say). */
export function recommendLocalMemory(homeDir: string, growthBytes = 0): MemorySizing {
  return recommendMemory(os.totalmem(), folderBytes(path.join(homeDir, 'data')) + growthBytes);
}
