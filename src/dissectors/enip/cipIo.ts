/**
 * CIP class 0/1 implicit I/O over UDP 2222 (ODVA CIP Vol. 2, 3-3 "Class 0 and 1 connected
 * transport"): each datagram is a CPF item list with a sequenced address item (0x8002: connection
 * id u32, encapsulation sequence number u32) and a connected data item (0xB1: for class 1 a 16-bit
 * CIP sequence count, then the I/O data, O->T often prefixed by a 32-bit run/idle header).
 *
 * Counting: every datagram is code 0 (IMPLICIT_IO) in space 0 ('connection'). Its kind is the
 * direction the transport knows: from the connection originator's side KIND_REQUEST, from the
 * other side KIND_RESPONSE (DIR_UNKNOWN counts as a request: the first sender is taken for the
 * initiator). The payload does not say whether it carries inputs or outputs (that is fixed by the
 * Forward Open, on another connection), so the class is 'write': class-1 I/O carries the
 * originator's outputs to the target cyclically and so drives the process; a "read only" conduit
 * must not silently allow it. Each datagram also reports its connection id as object, so I/O
 * volume is kept per connection.
 */
import type { Dissector, FunctionInfo, PduSink } from '../types.js';
import { DIR_TO_CLIENT, KIND_REQUEST, KIND_RESPONSE, unknownName } from '../types.js';
import { CPF_CONNECTED_ADDRESS, CPF_SEQUENCED_ADDRESS, walkCpf } from './enip.js';
import { EnipState } from './EnipState.js';

export const CIP_IO_PORT = 2222;
export const IO_IMPLICIT = 0;

const IMPLICIT_IO: FunctionInfo = { name: 'IMPLICIT_IO', opClass: 'write' };

export const cipIo: Dissector<EnipState> = {
  id: 'cip-io',
  name: 'CIP I/O',
  transports: ['udp'],
  ports: [CIP_IO_PORT],
  spaces: ['connection'],
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
  decode(state: EnipState, buf: Buffer, off: number, len: number, dir: number, sink: PduSink): void {
    if (!walkCpf(state, sink, buf, off, off + len, off)) return;
    if (state.cpfAddrType !== CPF_SEQUENCED_ADDRESS && state.cpfAddrType !== CPF_CONNECTED_ADDRESS) {
      sink.violation('ENIP_NO_CONNECTION_ID', 'I/O datagram without a sequenced or connected address item', 0);
      return;
    }
    if (state.cpfDataType < 0) sink.violation('ENIP_NO_IO_DATA', 'I/O datagram without a data item', 0);
    sink.fn(0, IO_IMPLICIT, dir === DIR_TO_CLIENT ? KIND_RESPONSE : KIND_REQUEST);
    sink.object(0, state.cpfConnId, false);
  },
  describe(space: number, code: number): FunctionInfo {
    return space === 0 && code === IO_IMPLICIT ? IMPLICIT_IO : { name: unknownName(code), opClass: 'other' };
  },
};
