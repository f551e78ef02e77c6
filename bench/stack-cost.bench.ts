/**
 * What one captured stack costs (`new Error('').stack`, as neo4j-driver captures for every
 * statement it runs), by how source maps are applied. Run it three ways and compare:
 *
 *   node -r @swc-node/register bench/stack-cost.bench.ts                          # source-map-support (the suite's servers)
 *   node --enable-source-maps -r @swc-node/register bench/stack-cost.bench.ts     # Node's own source maps (npm start)
 *   SWC_NODE_SOURCE_MAP_MODE=inline node -r @swc-node/register bench/stack-cost.bench.ts   # no stack mapping
 *
 * src/graph/db.ts runs the driver's calls with no frames to capture (`withoutCallerStack`).
 */
function capture(): number {
  return new Error('').stack?.length ?? 0;
}
function frames(depth: number, n: number): number {
  if (depth > 0) return frames(depth - 1, n);
  let total = 0;
  for (let i = 0; i < n; i += 1) total += capture();
  return total;
}

const COUNT = 5000;
frames(6, 200);
const before = process.cpuUsage();
frames(6, COUNT);
const used = process.cpuUsage(before);
const mode = process.sourceMapsEnabled ? 'Node source maps' : process.env.SWC_NODE_SOURCE_MAP_MODE === 'inline' ? 'no stack mapping' : 'source-map-support';
console.log(`${mode}: ${((used.user + used.system) / COUNT).toFixed(1)} µs of CPU per captured stack (${COUNT} stacks, depth ~10)`);
