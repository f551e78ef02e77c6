import 'reflect-metadata';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { startHub } from '../../src/server';
import { argument, serve } from './child';
import { plainSchema } from './plain-schema';

/**
 * The hub as `npm start` runs it (configured by its environment), or with `--schema plain`
 * the framework floor: the same server, context and resolvers on a plain graphql-js schema;
 * with `--apollo defaults` Apollo's own defaults (indented JSON, cache-control plugin).
 */
serve(async () => {
  const config = loadConfig();
  const schema = argument('schema') === 'plain' ? await plainSchema() : undefined;
  const hub = await startHub({ config, schema, apolloDefaults: argument('apollo') === 'defaults', log: pino({ level: config.logLevel }) });
  return { url: hub.url, watching: () => hub.live.dispatcher.watching(), stop: () => hub.stop() };
});
