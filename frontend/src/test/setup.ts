import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy*/waitFor: a loaded 2-core machine can take seconds to render.
configure({ asyncUtilTimeout: 10_000 });

// Testing Library unmounts automatically only with vitest globals; do it explicitly.
afterEach(() => {
  cleanup();
  localStorage.clear();
});
