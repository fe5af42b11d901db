/**
 * Ctrl-C and SIGTERM: the running command registers what must happen before the process ends (clear
 * the progress bar, close the store); the signal handler of bin/zonescope.js runs those steps, prints
 * one line and exits 130 (SIGINT) or 143 (SIGTERM). Captures are committed one file per transaction,
 * so an interrupted ingest loses only the file being read, and the next run resumes there.
 */

type Cleanup = () => void;
const cleanups = new Set<Cleanup>();
let interruptMessage = '';

/** Register a step to run on interrupt; returns the function that unregisters it. */
export function atInterrupt(fn: Cleanup): () => void {
  cleanups.add(fn);
  return () => void cleanups.delete(fn);
}

/** What the signal line adds after "interrupted" (ingest: "; run again to resume"). */
export function setInterruptHint(hint: string): () => void {
  interruptMessage = hint;
  return () => {
    if (interruptMessage === hint) interruptMessage = '';
  };
}

export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** Run every registered step (last registered first), then return the line to print. */
export function runInterrupt(signal: 'SIGINT' | 'SIGTERM'): string {
  for (const fn of [...cleanups].reverse()) {
    try {
      fn();
    } catch {
      // an interrupt must end the process; a failing cleanup step cannot stop it
    }
  }
  cleanups.clear();
  const what = signal === 'SIGINT' ? 'interrupted' : 'terminated (SIGTERM)';
  return `zonescope: ${what}${interruptMessage}\n`;
}
