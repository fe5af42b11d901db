/**
 * Identity evidence from SZL (System Status List) answers, after Siemens "System Software for
 * S7-300/400 System and Standard Functions", chapter 34 (SSL-ID W#16#xy11 module identification,
 * W#16#xy1C component identification) and Wireshark's packet-s7comm_szl_ids.c.
 * Called only for Read SZL responses (rare PDUs): strings are built here.
 */
import type { PduSink } from '../types.js';
import { WHO_SENDER } from '../types.js';

/** Partial list numbers (low byte of the SZL id) that carry identity. */
export const SZL_MODULE_IDENTIFICATION = 0x11;
export const SZL_COMPONENT_IDENTIFICATION = 0x1c;

/** Does this SZL id carry identity (0x0011, 0x0111, 0x0F11, 0x001C, 0x011C, ...)? */
export function isIdentitySzl(szlId: number): boolean {
  const part = szlId & 0xff;
  return part === SZL_MODULE_IDENTIFICATION || part === SZL_COMPONENT_IDENTIFICATION;
}

/** PROFIBUS/PROFINET manufacturer id of Siemens (SZL 0x001C index 9). */
const SIEMENS_MANUFACTURER_ID = 0x002a;

/** Printable ASCII text of a fixed-size field, up to the first NUL, trimmed. */
function text(buf: Buffer, off: number, len: number): string {
  let end = off;
  const stop = off + len;
  while (end < stop && buf[end] !== 0) end++;
  let s = '';
  for (let i = off; i < end; i++) {
    const c = buf[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '?';
  }
  return s.trim();
}

function emit(sink: PduSink, key: string, value: string): void {
  if (value.length > 0) sink.identity(WHO_SENDER, key, value);
}

/**
 * Decodes an SZL answer starting at the SZL id: id (2), index (2), record length (2), record count (2),
 * records. Emits identity(WHO_SENDER, ...) for module identification (order_number, firmware,
 * hardware_order_number) and component identification (system_name, module, plant_id, copyright,
 * serial, product_name, memory_card_serial, vendor, location). Returns false when the records overrun
 * the bytes given (the caller reports it).
 */
export function decodeSzlIdentity(buf: Buffer, off: number, len: number, sink: PduSink): boolean {
  if (len < 8) return false;
  const szlId = buf.readUInt16BE(off);
  const recLen = buf.readUInt16BE(off + 4);
  const count = buf.readUInt16BE(off + 6);
  const part = szlId & 0xff;
  let r = off + 8;
  const end = off + len;
  if (recLen === 0) return count === 0;
  for (let i = 0; i < count; i++, r += recLen) {
    if (r + recLen > end) return false;
    const index = buf.readUInt16BE(r);
    if (part === SZL_MODULE_IDENTIFICATION && recLen >= 28) {
      // index (2), MlfB order number (20), BGTyp (2), Ausbg (2), Ausbe (2)
      if (index === 0x0001) emit(sink, 'order_number', text(buf, r + 2, 20));
      else if (index === 0x0006) emit(sink, 'hardware_order_number', text(buf, r + 2, 20));
      else if (index === 0x0007) {
        const ausbg = buf.readUInt16BE(r + 24);
        const ausbe = buf.readUInt16BE(r + 26);
        // Basic firmware: Ausbg = 'V' and the major version, Ausbe = minor, patch.
        if (ausbg >> 8 === 0x56) emit(sink, 'firmware', `V${ausbg & 0xff}.${ausbe >> 8}.${ausbe & 0xff}`);
      }
    } else if (part === SZL_COMPONENT_IDENTIFICATION && recLen >= 34) {
      switch (index) {
        case 0x0001: emit(sink, 'system_name', text(buf, r + 2, 24)); break;
        case 0x0002: emit(sink, 'module', text(buf, r + 2, 24)); break;
        case 0x0003: emit(sink, 'plant_id', text(buf, r + 2, 32)); break;
        case 0x0004: emit(sink, 'copyright', text(buf, r + 2, 26)); break;
        case 0x0005: emit(sink, 'serial', text(buf, r + 2, 24)); break;
        case 0x0007: emit(sink, 'product_name', text(buf, r + 2, 32)); break;
        case 0x0008: emit(sink, 'memory_card_serial', text(buf, r + 2, 32)); break;
        case 0x0009: {
          const manufacturer = buf.readUInt16BE(r + 2);
          if (manufacturer === SIEMENS_MANUFACTURER_ID) emit(sink, 'vendor', 'Siemens');
          else if (manufacturer !== 0) emit(sink, 'manufacturer_id', `0x${manufacturer.toString(16).padStart(4, '0')}`);
          break;
        }
        case 0x000b: emit(sink, 'location', text(buf, r + 2, 32)); break;
        default: break;
      }
    }
  }
  return true;
}
