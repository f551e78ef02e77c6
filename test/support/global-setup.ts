import { rmSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalNeo4j, type LocalNeo4j } from '../../src/graph/local-neo4j';

let local: LocalNeo4j | undefined;
let homeDir: string | undefined;

/** A real Neo4j for the whole run: the one in NEO4J_URI, or a fresh local one. */
export async function setup(project: TestProject): Promise<void> {
  let uri = process.env.NEO4J_URI;
  if (!uri) {
    const localDir = path.resolve(__dirname, '..', '..', '.local');
    homeDir = path.join(localDir, 'neo4j', `test-${process.pid}`);
    local = await startLocalNeo4j({
      localDir,
      homeDir,
      heapMb: 2048,
      pageCacheMb: 512,
    });
    uri = local.uri;
  }
  project.provide('neo4jUri', uri);
}

export async function teardown(): Promise<void> {
  await local?.stop();
  if (homeDir) rmSync(homeDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    neo4jUri: string;
  }
}
