/** Every command the CLI offers beyond the built-in ones of main.ts, in help order. */
import { assetsCommand } from './assets.js';
import { captureCommand } from './capture.js';
import type { Command } from './command.js';
import { diffCommand } from './diff.js';
import { interfacesCommand } from './interfaces.js';
import { proposeCommand } from './propose.js';
import { reportCommand } from './report.js';

export const COMMANDS: Command[] = [assetsCommand, proposeCommand, diffCommand, reportCommand, captureCommand, interfacesCommand];
