/** Types of mocking-tests.mjs for vite.config.ts. */
export function mockingTestFiles(): string[];
