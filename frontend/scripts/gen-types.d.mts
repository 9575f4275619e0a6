/** Types of gen-types.mjs for the test that compares its output with the committed files. */
export function generateAll(): Promise<Record<string, string>>;
export function readCommitted(files: string[]): Record<string, string | null>;
