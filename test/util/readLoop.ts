/**
 * A reader process for tests of readers beside a writer: reads the store in a loop through
 * BaselineReader until the file named by argv[3] exists, checking that every read is one consistent
 * state, and prints one JSON line: { reads, failures, inconsistent, states }.
 * Run from source: node --import tsx test/util/readLoop.ts STORE STOPFILE
 */
import { existsSync } from 'node:fs';
import { BaselineReader } from '../../src/baseline/reader.js';

const [store, stop] = process.argv.slice(2) as [string, string];
const reader = BaselineReader.open(store);
let reads = 0;
const failures: string[] = [];
const inconsistent: string[] = [];
const states = new Set<number>();
process.stdout.write('ready\n');
// Keep reading a little after the stop file appears, so the final state is read too.
let after = 3;
while (after > 0) {
  if (existsSync(stop)) after--;
  try {
    const { flows, captures, scans } = reader.snapshot(() => ({ flows: reader.flows(), captures: reader.captures(), scans: reader.scans() }));
    reads++;
    states.add(captures.length);
    const flowPackets = flows.reduce((s, f) => s + f.packetsToResponder + f.packetsToInitiator, 0) + scans.reduce((s, x) => s + x.packets, 0);
    const capturePackets = captures.reduce((s, c) => s + c.ipPackets, 0);
    if (flowPackets !== capturePackets) inconsistent.push(`${captures.length} captures: flows hold ${flowPackets} packets, captures ${capturePackets}`);
    for (const f of flows) {
      const hours = f.hours.reduce((s, h) => s + h.packets, 0);
      const evidence = Object.values(f.evidence).reduce((s, n) => s + n, 0);
      if (hours !== f.packetsToResponder + f.packetsToInitiator || evidence !== f.connections) {
        inconsistent.push(`${captures.length} captures: flow ${f.src} ${f.dst} ${f.port}: hours ${hours}, evidence ${evidence}`);
      }
    }
  } catch (e) {
    failures.push((e as Error).stack ?? String(e));
  }
}
reader.close();
process.stdout.write(`${JSON.stringify({ reads, failures: failures.slice(0, 5), inconsistent: inconsistent.slice(0, 5), states: [...states].sort((a, b) => a - b) })}\n`);
