import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDissectorContract } from '../contract.js';
import { RecordingSink } from '../../util/recordingSink.js';
import { replayTcp, tshark, tsharkTcpSegments } from '../tsharkTcp.js';
import { createRegistry } from '../../../src/dissectors/registry.js';
import { defaultDissectors } from '../../../src/dissectors/index.js';
import { mms, describeMms } from '../../../src/dissectors/mms/index.js';
import { s7comm } from '../../../src/dissectors/s7comm/index.js';
import { DIR_TO_CLIENT, DIR_TO_SERVER, KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE, WHO_SENDER } from '../../../src/dissectors/types.js';
import * as m from './mmsCapture.js';

const EXCHANGES: ReadonlyArray<readonly [Buffer, Buffer]> = [
  [m.IDENTIFY(1), m.IDENTIFY_RESP(1)],
  [m.READ(2), m.READ_RESP(2)],
  [m.WRITE(3), m.WRITE_RESP(3)],
  [m.GET_NAME_LIST(4), m.GET_NAME_LIST_RESP(4)],
  [m.GET_VAR_ATTR(5), m.ERROR(5)],
  [m.FILE_OPEN(6), m.ERROR(6)],
  [m.READ(7), m.READ_RESP(7)],
];

runDissectorContract(mms, [
  { name: 'COTP CR', pdu: m.COTP_CR, dir: DIR_TO_SERVER },
  { name: 'session CONNECT (AARQ, initiate-request)', pdu: m.connect(), dir: DIR_TO_SERVER },
  { name: 'session ACCEPT (AARE, initiate-response)', pdu: m.accept(), dir: DIR_TO_CLIENT },
  ...EXCHANGES.flatMap(([q, r], i) => [
    { name: `request ${i}`, pdu: m.mmsData(q), dir: DIR_TO_SERVER },
    { name: `response ${i}`, pdu: m.mmsData(r), dir: DIR_TO_CLIENT },
  ]),
]);

function decode(pdu: Buffer): RecordingSink {
  const sink = new RecordingSink();
  mms.decode(mms.createState(), pdu, 0, pdu.length, DIR_TO_SERVER, sink);
  return sink;
}

describe('mms (TCP 102, ISO session/presentation/ACSE)', () => {
  test('mms.decode(write request) is WRITE (5), class write; identify response gives vendor, model, revision', () => {
    expect(decode(m.mmsData(m.WRITE(3))).fns).toEqual([{ space: 0, code: 5, kind: KIND_REQUEST, variant: 0 }]);
    expect(describeMms(0, 5)).toEqual({ name: 'WRITE', opClass: 'write' });
    expect(describeMms(0, 1)).toEqual({ name: 'GET_NAME_LIST', opClass: 'read' });
    expect(describeMms(0, 6)).toEqual({ name: 'GET_VARIABLE_ACCESS_ATTRIBUTES', opClass: 'read' });
    expect(describeMms(0, 72)).toEqual({ name: 'FILE_OPEN', opClass: 'read' });
    const s = decode(m.mmsData(m.IDENTIFY_RESP(1)));
    expect(s.fns).toEqual([{ space: 0, code: 2, kind: KIND_RESPONSE, variant: 0 }]);
    expect(s.identities).toEqual([
      { who: WHO_SENDER, key: 'vendor', value: 'ABB' },
      { who: WHO_SENDER, key: 'model', value: 'REF615' },
      { who: WHO_SENDER, key: 'revision', value: '5.0 FP1' },
    ]);
  });

  test('AppSession(crafted MMS association on TCP 102) is `mms`, not s7comm, and its requests per service equal tshark\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonescope-mms-'));
    try {
      const file = join(dir, 'mms.pcap');
      m.writeMmsPcap(file, EXCHANGES);
      const want: Record<string, number> = {};
      const add = (c: Record<string, number>, k: string): void => {
        c[k] = (c[k] ?? 0) + 1;
      };
      for (const line of tshark(['-r', file, '-Y', 'mms', '-T', 'fields', '-E', 'separator=|', '-e', 'tcp.stream',
        '-e', 'mms.confirmedServiceRequest', '-e', 'mms.confirmedServiceResponse', '-e', 'mms.confirmed_ErrorPDU_element', '-e', 'mms.initiate_RequestPDU_element', '-e', 'mms.initiate_ResponsePDU_element']).split('\n')) {
        if (!line) continue;
        const [stream, req, resp, err, ireq, iresp] = line.split('|') as string[];
        if (req) add(want, `${stream} req ${req}`);
        else if (resp) add(want, `${stream} resp ${resp}`);
        else if (err) add(want, `${stream} exc`);
        else if (ireq) add(want, `${stream} initiate-request`);
        else if (iresp) add(want, `${stream} initiate-response`);
      }
      const sinks = new Map<number, RecordingSink>();
      const sessions = replayTcp(tsharkTcpSegments(file), createRegistry(defaultDissectors), (st) => {
        let s = sinks.get(st);
        if (!s) sinks.set(st, (s = new RecordingSink()));
        return s;
      });
      const got: Record<string, number> = {};
      for (const [stream, sink] of sinks) {
        expect(sink.violations).toEqual([]);
        for (const f of sink.fns) {
          if (f.space === 1) add(got, `${stream} ${f.code === 8 ? 'initiate-request' : 'initiate-response'}`);
          else if (f.space === 3) continue; // COTP CR / CC: tshark shows them as cotp
          else add(got, `${stream} ${f.kind === KIND_EXCEPTION ? 'exc' : `${f.kind === KIND_REQUEST ? 'req' : 'resp'} ${f.code}`}`);
        }
      }
      expect(want['0 req 4']).toBe(2);
      expect(got).toEqual(want);
      expect([...sessions.values()].map((s) => s.protocol)).toEqual(['mms']);
      // With only s7comm registered the same bytes stay s7comm (nothing to describe them as mms).
      const alone = replayTcp(tsharkTcpSegments(file), createRegistry([s7comm]), () => new RecordingSink());
      expect([...alone.values()].map((s) => s.protocol)).toEqual(['s7comm']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
