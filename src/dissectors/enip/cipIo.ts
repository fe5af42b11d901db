/**
 * CIP class 0/1 implicit I/O over UDP 2222 (ODVA CIP Vol. 2, 3-3 "Class 0 and 1 connected
 * transport"): each datagram is a CPF item list with a sequenced address item (0x8002: connection
 * id u32, encapsulation sequence number u32) and a connected data item (0xB1: for class 1 a 16-bit
 * CIP sequence count, then the I/O data, O->T often prefixed by a 32-bit run/idle header).
 *
 * Counting: every datagram is code 0 in code space 0 ('io'), class 'io' (docs/INTERFACES.md:
 * class-1 I/O carries the originator's outputs to the target cyclically and so drives the process;
 * a "read only" conduit must not allow it). Its kind and variant are the direction the flow stage
 * knows from the Forward Open originator (reported by the enip dissector on another connection):
 * from the originator DIR_TO_SERVER, KIND_REQUEST, variant IO_OUTPUTS (IMPLICIT_IO_OUTPUTS, O->T);
 * from the target DIR_TO_CLIENT, KIND_RESPONSE, variant IO_INPUTS (IMPLICIT_IO_INPUTS, T->O); with
 * DIR_UNKNOWN (no Forward Open seen) KIND_REQUEST, variant 0 (IMPLICIT_IO). The payload itself does
 * not say. Each datagram also reports its connection id as object (space 'connection', shown
 * `0x004b0603`), so I/O volume is kept per connection.
 */
import type { Dissector, FunctionInfo, PduSink } from '../types.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_REQUEST, KIND_RESPONSE, unknownName } from '../types.js';
import { CPF_CONNECTED_ADDRESS, CPF_SEQUENCED_ADDRESS, walkCpf } from './enip.js';
import { EnipState } from './EnipState.js';

export const CIP_IO_PORT = 2222;
export const IO_IMPLICIT = 0;
/** Variants of IO_IMPLICIT: the direction, when the Forward Open originator is known. */
export const IO_OUTPUTS = 1;
export const IO_INPUTS = 2;

const IO_NAMES: readonly FunctionInfo[] = [
  { name: 'IMPLICIT_IO', opClass: 'io' },
  { name: 'IMPLICIT_IO_OUTPUTS', opClass: 'io' },
  { name: 'IMPLICIT_IO_INPUTS', opClass: 'io' },
];

export const cipIo: Dissector<EnipState> = {
  id: 'cip-io',
  name: 'CIP I/O',
  transports: ['udp'],
  ports: [CIP_IO_PORT],
  spaces: ['io'],
  objectSpaces: ['connection'],
  implicit: true,
  heuristic(buf: Buffer, off: number, len: number): boolean {
    if (len < 14 || off < 0 || off + 14 > buf.length) return false;
    const count = buf.readUInt16LE(off);
    const type = buf.readUInt16LE(off + 2);
    const itemLen = buf.readUInt16LE(off + 4);
    return count >= 2 && count <= 4 && ((type === CPF_SEQUENCED_ADDRESS && itemLen === 8) || (type === CPF_CONNECTED_ADDRESS && itemLen === 4));
  },
  createState(): EnipState {
    return new EnipState();
  },
  resetState(state: EnipState): void {
    state.reset();
  },
  decode(state: EnipState, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
    if (!walkCpf(state, sink, buf, off, off + len, off)) return;
    if (state.cpfAddrType !== CPF_SEQUENCED_ADDRESS && state.cpfAddrType !== CPF_CONNECTED_ADDRESS) {
      sink.violation('ENIP_NO_CONNECTION_ID', 'I/O datagram without a sequenced or connected address item', 0);
      return;
    }
    if (state.cpfDataType < 0) sink.violation('ENIP_NO_IO_DATA', 'I/O datagram without a data item', 0);
    if (dir === DIR_TO_CLIENT) sink.fn(0, IO_IMPLICIT, KIND_RESPONSE, IO_INPUTS);
    else sink.fn(0, IO_IMPLICIT, KIND_REQUEST, dir === DIR_TO_SERVER ? IO_OUTPUTS : 0);
    sink.object(0, state.cpfConnId, false);
  },
  describe(space: number, code: number, variant = 0): FunctionInfo {
    const info = space === 0 && code === IO_IMPLICIT ? IO_NAMES[variant] : undefined;
    return info ?? { name: unknownName(code), opClass: 'other' };
  },
  describeObject(_space: number, key: number | string): string {
    return typeof key === 'number' ? `0x${key.toString(16).padStart(8, '0')}` : key;
  },
};
