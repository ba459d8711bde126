import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The dashboard: plain TypeScript and DOM, bundled into dist/web, which the service serves at `/`.
// `npx vite --config web/vite.config.ts` serves it for development and proxies the API to
// a service on port 3000.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000' },
  },
});
