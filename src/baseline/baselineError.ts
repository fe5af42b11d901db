/** A problem with the baseline store itself (not with a capture): the code says which, the message what to do. */
export type BaselineErrorCode =
  | 'BASELINE_MISSING'
  | 'BASELINE_UNREADABLE'
  | 'BASELINE_NOT_A_BASELINE'
  | 'BASELINE_SCHEMA_VERSION'
  | 'BASELINE_READ_ONLY'
  | 'BASELINE_FULL'
  | 'BASELINE_BUSY';

export class BaselineError extends Error {
  constructor(readonly code: BaselineErrorCode | string, message: string) {
    super(message);
  }
}
