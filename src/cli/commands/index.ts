/** Every command the CLI offers, in help order (one file per command; see command.ts). */
import { analyzeCommand } from './analyze.js';
import type { Command } from './command.js';
import { flowsCommand } from './flows.js';
import { ingestCommand } from './ingest.js';

export const COMMANDS: Command[] = [analyzeCommand, ingestCommand, flowsCommand];
