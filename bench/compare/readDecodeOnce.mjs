// node bench/compare/readDecodeOnce.mjs <build dir> <capture>: read + decodePacket only (no flows; NO_DECODE=1: read only),
// one JSON line with the CPU ms of the read (user + system). Runs any build whose dist/ has these modules.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
const [build, file] = process.argv.slice(2);
const { readCaptureFile } = await import(pathToFileURL(join(build, 'dist/src/ingest/readCapture.js')).href);
const { decodePacket } = await import(pathToFileURL(join(build, 'dist/src/decode/decodePacket.js')).href);
const { DecodedPacket } = await import(pathToFileURL(join(build, 'dist/src/decode/packet.js')).href);
const pkt = new DecodedPacket();
let n = 0;
let check = 0;
const c0 = process.cpuUsage();
await readCaptureFile(file, (r) => {
  if (process.env.NO_DECODE) check += r.caplen;
  else check += decodePacket(r, pkt) + pkt.dstPort;
  n++;
}, {});
const c = process.cpuUsage(c0);
process.stdout.write(`${JSON.stringify({ packets: n, check, cpuMs: (c.user + c.system) / 1000 })}\n`);
