/**
 * An ingest whose files are written in parts, in a process of its own, that says each part on stdout
 * (for a test that kills it between two parts): node --import tsx test/util/ingestParted.ts DB PARTFOLDS WORKERS CAPTURE...
 */
import { Baseline } from '../../src/baseline/baseline.js';
import { ingestCaptures } from '../../src/pipeline/ingestCaptures.js';

const [db, partFolds, workers, ...inputs] = process.argv.slice(2);
const b = Baseline.open(db!);
const writePart = b.writePart.bind(b);
b.writePart = (flows) => {
  writePart(flows);
  process.stdout.write('part\n');
};
ingestCaptures(b, inputs, { partFolds: Number(partFolds), workers: Number(workers) }).then(
  () => {
    b.close();
    process.stdout.write('done\n');
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  },
);
