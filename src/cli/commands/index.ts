/** Every command the CLI offers beyond the built-in ones of main.ts, in help order. */
import type { Command } from './command.js';
import { assetsCommand } from './assets.js';

export const COMMANDS: Command[] = [assetsCommand];
