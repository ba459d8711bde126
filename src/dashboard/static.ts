import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';

/** The package root: the nearest folder above this file that holds package.json. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
}

/** Where `npm run build` puts the dashboard (vite build --config web/vite.config.ts). */
export function defaultDashboardDir(): string {
  return join(packageRoot(), 'dist', 'web');
}

/**
 * Serves the built dashboard at `/`. Only the files the build wrote are answered: each is a
 * route of its own, listed once at start-up (`wildcard: false`; the build is fixed while the
 * service runs), so every other path (`/api/`, `/docs`, `/health`, `/metrics`) goes straight to
 * its route and never looks at the disk. Built assets carry a content hash in their names and
 * are cached for a year; index.html is revalidated.
 */
export async function serveDashboard(app: NestFastifyApplication, dir = defaultDashboardDir()): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(join(dir, 'index.html'))) {
    const notBuilt = (_req: unknown, reply: FastifyReply) =>
      reply.status(404).header('Content-Type', 'text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build` (or `npm start`, which builds first).\n');
    fastify.get('/', notBuilt);
    fastify.get('/index.html', notBuilt);
    return;
  }
  const assets = join(dir, 'assets');
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: 'index.html',
    redirect: false,
    serveDotFiles: false,
    dotfiles: 'ignore',
    decorateReply: false,
    setHeaders: (reply, path) => {
      reply.header('Cache-Control', path.startsWith(assets) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
