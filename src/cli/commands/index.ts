/** Every command the CLI offers, in help order (one file per command; see command.ts). */
import { analyzeCommand } from './analyze.js';
import { assetsCommand } from './assets.js';
import { captureCommand } from './capture.js';
import type { Command } from './command.js';
import { diffCommand } from './diff.js';
import { eventsCommand } from './events.js';
import { flowsCommand } from './flows.js';
import { ingestCommand } from './ingest.js';
import { interfacesCommand } from './interfaces.js';
import { proposeCommand } from './propose.js';
import { reportCommand } from './report.js';

export const COMMANDS: Command[] = [
  analyzeCommand, ingestCommand, flowsCommand, eventsCommand, assetsCommand, proposeCommand, diffCommand, reportCommand, captureCommand, interfacesCommand,
];
