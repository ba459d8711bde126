import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type NextFunction, type Request, type Response } from 'express';

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
 * Serves the built dashboard at `/`. Only the files the build wrote are answered, so every other
 * path (`/api/`, `/docs`, `/health`, `/metrics`) goes straight to its route. Built assets carry
 * a content hash in their names and are cached for a year; index.html is revalidated.
 */
export function serveDashboard(app: NestExpressApplication, dir = defaultDashboardDir()): void {
  if (!existsSync(join(dir, 'index.html'))) {
    app.use((req: Request, res: Response, next: NextFunction) => {
      if ((req.method === 'GET' || req.method === 'HEAD') && (req.path === '/' || req.path === '/index.html')) {
        res.status(404).type('text/plain').send('The dashboard is not built: run `npm run build` (or `npm start`, which builds first).\n');
        return;
      }
      next();
    });
    return;
  }
  const files = express.static(dir, {
    index: 'index.html',
    redirect: false,
    dotfiles: 'ignore',
    setHeaders: (res, path) => {
      res.setHeader(
        'Cache-Control',
        path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  // Only the dashboard's own paths look at the disk: serve-static's stat of a file for every
  // other request (the API, the health probes, the metrics scrape) was measurable on the hot
  // path (bench/README.md). The build is fixed while the service runs, so it is listed once.
  const paths = builtPaths(dir);
  app.use((req: Request, res: Response, next: NextFunction) => (paths.has(req.path) ? files(req, res, next) : next()));
}

/** The URL paths of the files under `dir` (dotfiles left out, as serve-static does), and `/`. */
function builtPaths(dir: string, base = '', paths = new Set<string>(['/'])): Set<string> {
  for (const entry of readdirSync(join(dir, base), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = `${base}/${entry.name}`;
    if (entry.isDirectory()) builtPaths(dir, path, paths);
    else if (entry.isFile()) paths.add(path);
  }
  return paths;
}
