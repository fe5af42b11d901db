/** `zonescope interfaces`: what libpcap can capture on here. */
import { LiveCaptureError, listInterfaces } from '../../ingest/liveCapture.js';
import { CliInputError, type CliContext, type Command } from './command.js';

export const interfacesCommand: Command = {
  name: 'interfaces',
  describe: "list the interfaces 'zonescope capture' can read",
  builder: (y) => y,
  async run(_a: unknown, ctx: CliContext): Promise<number> {
    let list;
    try {
      list = listInterfaces();
    } catch (e) {
      if (e instanceof LiveCaptureError) throw new CliInputError(`${e.code}: ${e.message}`);
      throw e;
    }
    const w = Math.max(4, ...list.map((i) => i.name.length));
    for (const i of list) {
      const notes = [i.addresses.join(' '), i.description ?? '', i.loopback ? 'loopback' : ''].filter(Boolean).join('  ');
      ctx.out(`${i.name.padEnd(w)}  ${notes}\n`);
    }
    return 0;
  },
};
