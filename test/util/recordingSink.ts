import type { PduSink } from '../../src/dissectors/types.js';

/** A PduSink that records every call, for dissector unit tests. */
export class RecordingSink implements PduSink {
  fns: Array<{ space: number; code: number; kind: number; variant: number }> = [];
  ranges: Array<{ table: number; start: number; count: number; write: boolean }> = [];
  objects: Array<{ space: number; key: number | string; write: boolean }> = [];
  identities: Array<{ who: number; key: string; value: string }> = [];
  attributes: Array<{ key: string; value: string }> = [];
  violations: Array<{ code: string; message: string; at: number }> = [];
  originators: number[] = [];

  fn(space: number, code: number, kind: number, variant = 0): void {
    this.fns.push({ space, code, kind, variant });
  }
  range(table: number, start: number, count: number, write: boolean): void {
    this.ranges.push({ table, start, count, write });
  }
  object(space: number, key: number | string, write: boolean): void {
    this.objects.push({ space, key, write });
  }
  identity(who: number, key: string, value: string): void {
    this.identities.push({ who, key, value });
  }
  attribute(key: string, value: string): void {
    this.attributes.push({ key, value });
  }
  originator(who: number): void {
    this.originators.push(who);
  }
  violation(code: string, message: string, at: number): void {
    this.violations.push({ code, message, at });
  }
  clear(): void {
    this.fns = [];
    this.ranges = [];
    this.objects = [];
    this.identities = [];
    this.attributes = [];
    this.violations = [];
    this.originators = [];
  }
}
