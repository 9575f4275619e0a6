/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import { configDefaults } from 'vitest/config';
import { mockingTestFiles } from './scripts/mocking-tests.mjs';

// Test files that replace a module or a global need an environment of their own: in a shared one the module may
// already be loaded unmocked by an earlier file, or a stub outlive its file.
const STUBBING_TESTS = mockingTestFiles();

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
    // that stub no module or global share their workers' environment; setup.ts cleans the DOM and storage after each test.
    projects: [
      { extends: true, test: { name: 'shared', include: ['src/**/*.test.{ts,tsx}'], exclude: [...configDefaults.exclude, ...STUBBING_TESTS], isolate: false } },
      { extends: true, test: { name: 'isolated', include: STUBBING_TESTS } },
    ],
  },
});
