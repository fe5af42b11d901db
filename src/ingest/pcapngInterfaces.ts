/**
 * pcapng sections and their interfaces: draft-ietf-opsawg-pcapng §4.1 Section Header Block (a new
 * section forgets the interfaces of the previous one) and §4.2 Interface Description Block, with the
 * options that decide packet times, if_tsresol (9) and if_tsoffset (14).
 */
import type { ParseState } from './parseState.js';
import { DEFAULT_TSRESOL, tsResolution, type TsResolution } from './timestamps.js';

export interface PcapngInterface {
  linktype: number;
  resol: TsResolution;
  /** if_tsresol as written (for messages). */
  resolByte: number;
  /** if_tsoffset: seconds added to every timestamp (signed). */
  offsetSec: number;
  /** Seconds of the interface's previous delivered packet (NaN before the first): the backwards check. */
  lastSec: number;
}

const TWO32 = 4294967296;
const DEFAULT_RESOL = tsResolution(DEFAULT_TSRESOL) as TsResolution;

/** The interfaces of the current section, and the last packet time (for Simple Packet Blocks). */
export class PcapngSection {
  interfaces: PcapngInterface[] = [];
  sections = 0;
  /** Time of the last packet block seen (delivered or not): SPBs carry none (§4.4). */
  lastAnySec = 0;
  lastAnyNsec = 0;

  /** §4.1: a new section; its interfaces start from none. */
  reset(): void {
    this.interfaces = [];
    this.sections++;
  }
}

/** §4.1 Section Header Block at p (the byte order was already taken from its magic). */
export function readSectionBlock(s: ParseState, section: PcapngSection, p: number, len: number): void {
  if (len < 28) {
    s.diag('PCAPNG_BAD_SECTION', 'error', `section header block of ${len} bytes (< 28)`, undefined, s.base + p);
  }
  const major = len >= 16 ? s.dv.getUint16(p + 12, s.le) : 1;
  if (major !== 1) {
    s.diag('PCAPNG_UNSUPPORTED_VERSION', 'warning', `section version ${major}, expected 1; reading anyway`, undefined, s.base + p);
  }
  section.reset();
}

/** §4.2 Interface Description Block at p: appends the interface to the section. */
export function readInterfaceBlock(s: ParseState, section: PcapngSection, p: number, len: number): void {
  const dv = s.dv;
  const le = s.le;
  if (len < 20) {
    s.diag('PCAPNG_BAD_INTERFACE', 'error', `interface description block of ${len} bytes (< 20)`, undefined, s.base + p);
    return;
  }
  const linktype = dv.getUint16(p + 8, le);
  let resolByte = DEFAULT_TSRESOL;
  let resol = DEFAULT_RESOL;
  let offsetSec = 0;
  // Options: code u16, length u16, value padded to 32 bits (§3.5), until opt_endofopt or the end.
  let o = p + 16;
  const optEnd = p + len - 4;
  while (o + 4 <= optEnd) {
    const code = dv.getUint16(o, le);
    const olen = dv.getUint16(o + 2, le);
    if (code === 0) break;
    const v = o + 4;
    if (v + olen > optEnd) {
      s.diag('PCAPNG_BAD_OPTION', 'warning', `interface option ${code} of ${olen} bytes overruns its block`, undefined, s.base + o);
      break;
    }
    if (code === 9 && olen >= 1) {
      const r = tsResolution(s.buf[v]);
      if (r) {
        resolByte = s.buf[v];
        resol = r;
      } else {
        s.diag(
          'PCAPNG_BAD_OPTION',
          'warning',
          `if_tsresol 0x${s.buf[v].toString(16)} is no 64-bit time unit; reading the interface in microseconds`,
          undefined,
          s.base + o,
        );
      }
    } else if (code === 14 && olen >= 8) {
      const hi = le ? dv.getInt32(v + 4, true) : dv.getInt32(v, false);
      const lo = le ? dv.getUint32(v, true) : dv.getUint32(v + 4, false);
      offsetSec = hi * TWO32 + lo;
    }
    o = v + ((olen + 3) & ~3);
  }
  section.interfaces.push({ linktype, resol, resolByte, offsetSec, lastSec: NaN });
  if (s.linktypes.indexOf(linktype) < 0) s.linktypes.push(linktype);
}

/** "10^-6 s", "2^-20 s": an interface's time unit, for messages. */
export function unitText(iface: PcapngInterface): string {
  const n = iface.resolByte & 0x7f;
  return `${(iface.resolByte & 0x80) !== 0 ? 2 : 10}^-${n} s`;
}
