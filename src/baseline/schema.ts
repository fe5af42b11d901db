/**
 * The baseline store's schema version: the last migration step's (src/baseline/migrations). The schema
 * itself is the migration steps applied in order; README.md ("The baseline store") documents it for
 * users: keep the two in step.
 */
import { MIGRATIONS } from './migrations/index.js';

export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;
