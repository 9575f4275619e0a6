import { describe, expect, it } from 'vitest';
import { generateAll, readCommitted } from '../../scripts/gen-types.mjs';

describe('generated contract types', () => {
  it('are what `npm run gen:types` makes from schemas/ now (run it after changing the contract)', async () => {
    const generated = await generateAll();
    const files = Object.keys(generated).sort();
    expect(files).toEqual(['contract.ts', 'messages.ts']);
    const committed = readCommitted(files);
    for (const file of files) {
      expect(committed[file], `src/types/generated/${file} is stale: run npm run gen:types`).toBe(generated[file]);
    }
  });
});
