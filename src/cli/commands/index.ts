/** Every command the CLI offers beyond the built-in ones of main.ts, in help order. */
import type { Command } from './command.js';
import { reportCommand } from './report.js';

export const COMMANDS: Command[] = [reportCommand];
