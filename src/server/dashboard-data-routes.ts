import type { HttpBindings } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { toCsv } from '../dashboard/csv.js';
import type { RecentRequestsQuery } from '../dashboard/recent-requests.js';
import { type SeriesKind, type SeriesRange, seriesRanges } from '../dashboard/time-series.js';
import { requireAdminKey } from './client-auth.js';
import { HttpError } from './http-error.js';
import { quotaSnapshot } from './quota-snapshot.js';
import type { ServerContext } from './server-context.js';
import { usageSnapshot } from './usage-snapshot.js';

type DataContext = Context<{ Bindings: HttpBindings }>;

/** The JSON (or CSV, with `?format=csv`) behind each dashboard view, admin-protected as /dashboard/data. */
export function dashboardDataRoutes(server: ServerContext): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();

  app.get('/dashboard/data/quota', (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const view = quotaSnapshot(server);
    if (!wantsCsv(c)) return c.json(view, 200, { 'cache-control': 'no-store' });
    const columns = ['bucket', 'binding', 'window', 'used', 'status', 'family', 'resetsAt', 'seenAt'];
    const rows = view.buckets.flatMap((bucket) =>
      bucket.windows.map((window) => [
        bucket.key,
        bucket.binding,
        window.name,
        window.used,
        window.status,
        window.family,
        window.resetsAt,
        window.seenAt,
      ]),
    );
    return csv(c, 'switchyard-quota.csv', toCsv(columns, rows));
  });

  app.get('/dashboard/data/series', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const range = oneOf(c.req.query('range') ?? 'hour', Object.keys(seriesRanges), 'range') as SeriesRange;
    const by = oneOf(c.req.query('by') ?? 'bucket', ['bucket', 'client'], 'by') as SeriesKind;
    const view = await history(server).seriesView(range, by);
    if (!wantsCsv(c)) return c.json(view, 200, { 'cache-control': 'no-store' });
    const rows = view.series.flatMap((series) =>
      view.times.map((time, index) => [
        new Date(time * 1000).toISOString(),
        series.name,
        series.requests[index],
        series.tokens[index],
        series.failovers[index],
        series.errors[index],
      ]),
    );
    return csv(
      c,
      `switchyard-series-${range}-${by}.csv`,
      toCsv(['time', by, 'requests', 'tokens', 'failovers', 'errors'], rows),
    );
  });

  app.get('/dashboard/data/requests', (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const recent = history(server).recent;
    const requests = recent.query(requestsQuery(c));
    if (wantsCsv(c)) {
      const columns = ['time', 'client', 'profile', 'model', 'attempts', 'bucket', 'status', 'code'];
      columns.push('inputTokens', 'outputTokens', 'firstByteMs', 'durationMs', 'path', 'stream');
      const rows = requests.map((entry) => columns.map((column) => entry[column as keyof typeof entry]));
      return csv(c, 'switchyard-requests.csv', toCsv(columns, rows));
    }
    return c.json(
      {
        generatedAt: new Date(server.clock.now()).toISOString(),
        keep: { minutes: recent.limits.keepMinutes, requests: recent.limits.keepRequests },
        // Off by default (dashboard.captureBodies): then the log holds only what the request record says.
        bodyCapture: server.dashboard?.bodies !== undefined,
        requests,
      },
      200,
      { 'cache-control': 'no-store' },
    );
  });

  app.get('/dashboard/data/requests/:id/bodies', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const bodies = history(server).bodies;
    if (bodies === undefined)
      throw new HttpError(
        404,
        'Body capture is off: set dashboard.captureBodies: true in config.yaml to keep request and response bodies.',
        'body_capture_off',
        undefined,
      );
    const id = c.req.param('id');
    if (!/^\d{1,15}$/.test(id))
      throw new HttpError(
        400,
        'The request id must be a whole number, as the request log lists it.',
        'invalid_id',
        undefined,
      );
    const captured = await bodies.read(Number(id));
    if (captured === undefined)
      throw new HttpError(
        404,
        `No bodies are kept for request ${id}: it was not captured or has left the request log.`,
        'not_found',
        undefined,
      );
    return c.json(captured, 200, { 'cache-control': 'no-store' });
  });

  app.get('/dashboard/data/usage', async (c) => {
    requireAdminKey(server.adminKey, server.clients, c.env.incoming.headers);
    const view = await usageSnapshot(server);
    if (!wantsCsv(c)) return c.json(view, 200, { 'cache-control': 'no-store' });
    const table = oneOf(c.req.query('table') ?? 'buckets', ['buckets', 'clients', 'models'], 'table') as
      | 'buckets'
      | 'clients'
      | 'models';
    const columns = ['name', 'requests', 'inputTokens', 'cacheReadTokens', 'cacheWriteTokens', 'outputTokens'];
    columns.push('cost', 'unpriced');
    if (table === 'buckets') columns.push('billing');
    const rows = view[table].map((line) => columns.map((column) => line[column as keyof typeof line]));
    return csv(c, `switchyard-usage-${table}.csv`, toCsv(columns, rows));
  });

  return app;
}

function history(server: ServerContext): NonNullable<ServerContext['dashboard']> {
  if (server.dashboard === undefined)
    throw new HttpError(404, 'This server keeps no dashboard history.', 'not_found', undefined);
  return server.dashboard;
}

function wantsCsv(c: DataContext): boolean {
  const format = c.req.query('format') ?? 'json';
  return oneOf(format, ['json', 'csv'], 'format') === 'csv';
}

function csv(c: DataContext, fileName: string, text: string): Response {
  return c.body(text, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
  });
}

function oneOf(value: string, allowed: readonly string[], name: string): string {
  if (!allowed.includes(value))
    throw new HttpError(
      400,
      `Unknown ${name} "${value.slice(0, 40)}": use ${allowed.join(', ')}.`,
      `invalid_${name}`,
      undefined,
    );
  return value;
}

function requestsQuery(c: DataContext): RecentRequestsQuery {
  const query: RecentRequestsQuery = {};
  // `text` is the same search under the name the page's search box has.
  const search = c.req.query('search') || c.req.query('text');
  if (search) query.search = search.slice(0, 200);
  const client = c.req.query('client');
  if (client) query.client = client;
  const profile = c.req.query('profile');
  if (profile) query.profile = profile;
  const model = c.req.query('model');
  if (model) query.model = model;
  const status = c.req.query('status');
  if (status) {
    if (!/^(ok|error|\d{3})$/.test(status))
      throw new HttpError(
        400,
        'Unknown status filter: use ok, error or a status code such as 429.',
        'invalid_status',
        undefined,
      );
    query.status = status;
  }
  const limit = c.req.query('limit');
  if (limit !== undefined) {
    const number = Number(limit);
    if (!Number.isInteger(number) || number < 1 || number > 5_000)
      throw new HttpError(400, 'The limit must be a whole number from 1 to 5000.', 'invalid_limit', undefined);
    query.limit = number;
  }
  return query;
}
