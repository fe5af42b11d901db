/**
 * The exit code comes from one small pure function (../shared/design/INTERFACES.md):
 * 0 clean; 1 findings (e.g. a design that breaks observed flows); 2 usage error or bad/unreadable
 * input (the other inputs are still processed); 3 internal error.
 */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_BAD_INPUT = 2;
export const EXIT_INTERNAL = 3;

export interface Outcome {
  internalError?: boolean;
  usageError?: boolean;
  inputFailed?: boolean;
  findings?: boolean;
}

export function exitCode(o: Outcome): number {
  if (o.internalError) return EXIT_INTERNAL;
  if (o.usageError || o.inputFailed) return EXIT_BAD_INPUT;
  if (o.findings) return EXIT_FINDINGS;
  return EXIT_OK;
}
