/** jest + ts-jest in ESM mode (see ../shared/design/DEPENDENCIES.md). Type checking is done once by
 * `npm run typecheck`, so ts-jest only transpiles (isolatedModules). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 120000,
};
