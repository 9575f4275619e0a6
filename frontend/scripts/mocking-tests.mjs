// The test files that replace a module or a global (vi.mock, vi.doMock, vi.stubGlobal), found by reading them:
// vite.config.ts gives these an environment and module cache of their own (a shared one may already hold the real
// module, or keep the stub for the next file), so a new such file needs no list to join.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const frontendDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export function mockingTestFiles() {
  return readdirSync(join(frontendDir, 'src'), { recursive: true, encoding: 'utf8' })
    .map((file) => `src/${file.split('\\').join('/')}`)
    .filter((file) => /\.test\.tsx?$/.test(file))
    .filter((file) => /\bvi\.(mock|doMock|stubGlobal)\(/.test(readFileSync(join(frontendDir, file), 'utf8')))
    .sort();
}
