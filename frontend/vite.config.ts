/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The jar serves classpath "public/" as static files, so the build writes straight into it.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'target/classes/public',
    emptyOutDir: true,
    sourcemap: false,
  },
  server: {
    // `npm run dev` against an edge on its default port 8081 (EDGE_PORT): it serves /config.js, /api and /ws.
    proxy: {
      '/api': 'http://localhost:8081',
      '/config.js': 'http://localhost:8081',
      '/ws': { target: 'ws://localhost:8081', ws: true },
    },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
    setupFiles: ['src/test/setup.ts'],
    // The build machine is shared and small: generous limits; no test asserts on speed.
    testTimeout: 30_000,
  },
});
