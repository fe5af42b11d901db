import { tsharkFields } from '../../util/tshark.js';
import { cipIo } from '../../../src/dissectors/enip/index.js';
import { IO_INPUTS, IO_OUTPUTS } from '../../../src/dissectors/enip/cipIo.js';
import { EnipState } from '../../../src/dissectors/enip/EnipState.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, DIR_UNKNOWN, KIND_REQUEST, KIND_RESPONSE } from '../../../src/dissectors/types.js';
import { runDissectorContract } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { capturePath } from '../../util/captures.js';
import { hex } from './enipBuilders.js';
import { extractPdus, tsharkCounts, type StreamPdu } from './tsharkOracle.js';

const EXAMPLE = capturePath('enip/cisagov_enip_cip_example.pcap');
const io: StreamPdu[] = extractPdus(EXAMPLE, cipIo, 2222);

/** Decodes the I/O datagrams with the direction a session would give: the first sender is the initiator. */
function decodeAll(): { counts: Record<string, Record<string, number>>; perConnection: Map<number, number>; violations: number } {
  const firstSender = new Map<string, string>();
  const states = new Map<string, EnipState>();
  const counts: Record<string, Record<string, number>> = {};
  const perConnection = new Map<number, number>();
  let violations = 0;
  // The sender of each datagram, from its frame (both ports are 2222, so toServer cannot tell).
  const src = new Map<number, string>();
  for (const [f, ip] of tsharkFields(EXAMPLE, ['frame.number', 'ip.src'], { filter: 'udp.port==2222' })) {
    src.set(Number(f), ip!);
  }
  for (const p of io) {
    const sender = src.get(p.frame)!;
    if (!firstSender.has(p.stream)) firstSender.set(p.stream, sender);
    const st = states.get(p.stream) ?? new EnipState();
    states.set(p.stream, st);
    const sink = new RecordingSink();
    cipIo.decode(st, p.pdu, 0, p.pdu.length, firstSender.get(p.stream) === sender ? DIR_TO_SERVER : DIR_TO_CLIENT, sink);
    violations += sink.violations.length;
    for (const f of sink.fns) {
      const s = (counts[p.stream] ??= {});
      const key = `${f.space}/0x${f.code.toString(16)}/${f.kind === KIND_REQUEST ? 'request' : 'response'}`;
      s[key] = (s[key] ?? 0) + 1;
    }
    for (const o of sink.objects) perConnection.set(o.key as number, (perConnection.get(o.key as number) ?? 0) + 1);
  }
  return { counts, perConnection, violations };
}

describe('cipIo against tshark', () => {
  test('cipIo.decode(cisagov_enip_cip_example UDP/2222) counts every I/O datagram per stream and direction as tshark does', () => {
    const ours = decodeAll();
    expect(ours.violations).toBe(0);
    const theirs = tsharkCounts(EXAMPLE, 2222, true);
    expect(theirs).toEqual({ 'udp:0': { '0/0x0/request': 368, '0/0x0/response': 30 } });
    expect(ours.counts).toEqual(theirs);
  });

  test('cipIo.decode(cisagov_enip_cip_example) reports datagrams per connection id as tshark enip.cpf.sai.connid', () => {
    const theirs = new Map<number, number>();
    for (const [id] of tsharkFields(EXAMPLE, ['enip.cpf.sai.connid'], { filter: 'udp.port==2222' })) theirs.set(Number(id), (theirs.get(Number(id)) ?? 0) + 1);
    expect(theirs.size).toBe(24);
    expect(decodeAll().perConnection).toEqual(theirs);
  });
});

describe('cipIo.decode', () => {
  const first = io[0]!.pdu;

  test('cipIo.decode(first datagram, DIR_UNKNOWN) returns IMPLICIT_IO request on connection 0x004b0603', () => {
    const sink = new RecordingSink();
    cipIo.decode(new EnipState(), first, 0, first.length, DIR_UNKNOWN, sink);
    expect(sink.fns).toEqual([{ space: 0, code: 0, kind: KIND_REQUEST, variant: 0 }]);
    expect(sink.objects).toEqual([{ space: 0, key: 0x004b0603, write: false }]);
  });

  test('cipIo.decode(datagram, DIR_TO_CLIENT / DIR_TO_SERVER) counts target inputs as responses, originator outputs as requests', () => {
    const sink = new RecordingSink();
    cipIo.decode(new EnipState(), first, 0, first.length, DIR_TO_CLIENT, sink);
    cipIo.decode(new EnipState(), first, 0, first.length, DIR_TO_SERVER, sink);
    expect(sink.fns).toEqual([
      { space: 0, code: 0, kind: KIND_RESPONSE, variant: IO_INPUTS },
      { space: 0, code: 0, kind: KIND_REQUEST, variant: IO_OUTPUTS },
    ]);
  });

  test('cipIo.decode(datagram without an address item) reports ENIP_NO_CONNECTION_ID and counts nothing', () => {
    const pdu = hex('0100 b100 0400 01000000');
    const sink = new RecordingSink();
    cipIo.decode(new EnipState(), pdu, 0, pdu.length, DIR_TO_SERVER, sink);
    expect(sink.violations.map((v) => v.code)).toEqual(['ENIP_NO_CONNECTION_ID']);
    expect(sink.fns).toEqual([]);
  });

  test('cipIo.heuristic(I/O datagram) is true; an encapsulation header is not I/O', () => {
    expect(cipIo.heuristic!(first, 0, first.length)).toBe(true);
    expect(cipIo.heuristic!(hex('6300 0000 00000000 00000000 0000000000000000 00000000'), 0, 24)).toBe(false);
  });

  test('cipIo.describe(0, 0, direction) is IMPLICIT_IO class io, outputs O->T and inputs T->O apart', () => {
    expect(cipIo.describe(0, 0)).toEqual({ name: 'IMPLICIT_IO', opClass: 'io' });
    expect(cipIo.describe(0, 0, IO_OUTPUTS)).toEqual({ name: 'IMPLICIT_IO_OUTPUTS', opClass: 'io' });
    expect(cipIo.describe(0, 0, IO_INPUTS)).toEqual({ name: 'IMPLICIT_IO_INPUTS', opClass: 'io' });
    expect(cipIo.describe(0, 0, 9)).toEqual({ name: 'Unknown (0x0)', opClass: 'other' });
    expect(cipIo.describeObject!(0, 0x004b0603)).toBe('0x004b0603');
    expect(cipIo.describe(0, 7)).toEqual({ name: 'Unknown (0x7)', opClass: 'other' });
  });
});

runDissectorContract(cipIo, [
  { name: 'I/O datagram 32 bytes (frame 377)', pdu: io.find((p) => p.frame === 377)!.pdu, dir: DIR_TO_SERVER },
  { name: 'I/O datagram 114 bytes', pdu: io.find((p) => p.pdu.length === 114 - 8)!.pdu, dir: DIR_TO_SERVER },
  { name: 'I/O datagram from the other side (frame 388)', pdu: io.find((p) => p.frame === 388)!.pdu, dir: DIR_TO_CLIENT },
]);
