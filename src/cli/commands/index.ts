/** Every command the CLI offers beyond the built-in ones of main.ts, in help order. */
import { captureCommand } from './capture.js';
import type { Command } from './command.js';
import { interfacesCommand } from './interfaces.js';

export const COMMANDS: Command[] = [captureCommand, interfacesCommand];
