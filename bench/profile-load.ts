/** bench/profile.ts's load generator, in its own process: autocannon for a given time, one request body. */
import autocannon from 'autocannon';

process.once('message', async (message: { url: string; body: string; bearer: string; seconds: number; connections: number }) => {
  const result = await autocannon({
    url: new URL(message.url).origin,
    connections: message.connections,
    duration: message.seconds,
    timeout: 300,
    requests: [{ method: 'POST', path: new URL(message.url).pathname, headers: { 'content-type': 'application/json', authorization: message.bearer }, body: message.body }],
  });
  process.send?.({ requests: result.requests.total, errors: result.errors, non2xx: result.non2xx }, () => process.exit(0));
});
