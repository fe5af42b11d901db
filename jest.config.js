/**
 * jest + ts-jest in ESM mode (see ../shared/design/DEPENDENCIES.md). Type checking is done once by
 * `npm run typecheck`, so ts-jest only transpiles (isolatedModules).
 *
 * Four projects, so the edit-test loop does not wait for hundreds of tshark processes:
 *  - unit    (`npm run test:unit`): in-process tests, no tshark, no binary; under 60 s here.
 *  - cli     (`npm run test:cli`): the real binary (`node bin/zonescope.js`), as a user runs it.
 *  - oracle  (`npm run test:oracle`): tests that run tshark/editcap (the oracle, or to cut PDUs out of
 *    captures) or tcpreplay.
 *  - golden  (`npm run test:golden`): whole-pipeline documents and ground truth (the demo plant, parallel = serial, files in parts = at once, the bench,
 *    the HTML report in headless Chromium).
 * `npm test` runs them all. A new test file lands in `unit` unless it matches a list below.
 */
const base = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
};

/** Tests that start tshark or editcap (directly or through a helper in test/util/tshark.ts). */
const ORACLE = [
  'test/pipeline/ingestCaptures.test.ts',
  'test/cli/flowsVsTshark.test.ts',
  'test/decode/**/*.test.ts',
  'test/dissectors/enip/{cipIo,describeCipService,enip,vendorName}.test.ts',
  'test/dissectors/modbus-tcp/*.test.ts',
  'test/dissectors/opcua/*.test.ts',
  'test/dissectors/s7comm/{decodeS7,decodeS7Plus,decodeS7comm,index,s7comm.session}.test.ts',
  'test/fixtures/{generator,refineryUnit3Tshark}.test.ts',
  'test/ingest/readCapture{,.pcapng,.damage}.test.ts',
  'test/reassembly/tcpReassembler.captures.test.ts',
  // editcap cuts the demo plant into rotated files; the binary ingests them many times
  'test/pipeline/ingestContinuity.test.ts',
  // the ingest summary through the binary, on captures cut by editcap
  'test/cli/runIngest.notAnalysed.test.ts',
  // tcpreplay into a network namespace
  'test/ingest/liveCapture.test.ts',
];
const GOLDEN = ['test/report/flowsGolden.test.ts', 'test/report/html/*.browser.test.ts', 'test/baseline/demo.test.ts', 'test/pipeline/parallelIngest.test.ts', 'test/pipeline/ingestParts.test.ts', 'test/fixtures/refineryUnit3.test.ts', 'test/fixtures/bench.test.ts'];
const CLI = ['test/cli/{main,conventions,flowsCommand,poisoned}.test.ts'];

const at = (globs) => globs.map((g) => `<rootDir>/${g}`);
/** The globs above as regular expressions (testPathIgnorePatterns takes those). */
const asRegExp = (g) =>
  '/' +
  g
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]*)\}/g, (_, alts) => `(${alts.split(',').join('|')})`)
    .replace(/\*\*\//g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replace(/\u0000/g, '(.*/)?') +
  '$';

export default {
  testTimeout: 120000,
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: [...ORACLE, ...GOLDEN, ...CLI].map(asRegExp) },
    { ...base, displayName: 'cli', testMatch: at(CLI) },
    { ...base, displayName: 'oracle', testMatch: at(ORACLE) },
    { ...base, displayName: 'golden', testMatch: at(GOLDEN) },
  ],
};
