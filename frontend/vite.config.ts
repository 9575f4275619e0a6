/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { configDefaults } from 'vitest/config';

// Test files that replace a module (vi.mock) need a module cache of their own: in a shared one the module may
// already be loaded unmocked by an earlier file.
const MOCKS_MODULES = [
  'src/App.test.tsx',
  'src/components/IntradayChart.test.tsx',
  'src/hooks/useRealTimeStock.test.tsx',
  'src/services/PollingCoordinator.test.ts',
  'src/services/quoteApi.test.ts',
];

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
    restoreMocks: true,
    setupFiles: ['src/test/setup.ts'],
    // The build machine is shared and small: generous limits; no test asserts on speed.
    testTimeout: 30_000,
    // A fresh jsdom per file was 56 of the suite's 90 s and ~45 of its 55 CPU seconds (2026-12-08): the files
    // that mock no module share their workers' environment; setup.ts cleans the DOM and storage after each test.
    projects: [
      { extends: true, test: { name: 'shared', include: ['src/**/*.test.{ts,tsx}'], exclude: [...configDefaults.exclude, ...MOCKS_MODULES], isolate: false } },
      { extends: true, test: { name: 'isolated', include: MOCKS_MODULES } },
    ],
  },
});
