/**
 * Test helper: hand-built MMS (ISO 9506) PDUs inside the ISO stack of IEC 61850-8-1 (TPKT, COTP class 0,
 * ISO session, presentation with the ACSE and MMS abstract syntaxes, ACSE AARQ/AARE around the MMS
 * initiate), so that tshark decodes them as MMS and can be the oracle.
 */
import { writePcap, type PcapPayload } from '../enip/pcapWriter.js';

export function tlv(tag: number | number[], ...content: Buffer[]): Buffer {
  const c = Buffer.concat(content);
  const len = c.length < 128 ? [c.length] : c.length < 256 ? [0x81, c.length] : [0x82, c.length >> 8, c.length & 0xff];
  return Buffer.concat([Buffer.from([...(typeof tag === 'number' ? [tag] : tag), ...len]), c]);
}
const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const str = (t: string): Buffer => Buffer.from(t, 'latin1');

function tpkt(cotp: Buffer): Buffer {
  const b = Buffer.concat([hex('03 00 00 00'), cotp]);
  b.writeUInt16BE(b.length, 2);
  return b;
}
const dt = (tsdu: Buffer): Buffer => tpkt(Buffer.concat([hex('02 f0 80'), tsdu]));
export const COTP_CR = tpkt(hex('11 e0 00 00 00 01 00 c1 02 00 01 c2 02 00 01 c0 01 0a'));
export const COTP_CC = tpkt(hex('11 d0 00 01 00 01 00 c1 02 00 01 c2 02 00 01 c0 01 0a'));

const MMS_CTX = 3;
const initDetail = hex('80 02 7d 00 81 01 05 82 01 05 83 01 0a a4 16 80 01 01 81 03 05 f1 00 82 0c 03 ee 1c 00 00 04 08 00 00 79 ef 18');
const external = (mms: Buffer): Buffer => tlv(0xbe, tlv(0x28, hex('02 01 03'), tlv(0xa0, mms)));
const APP_CTX = hex('a1 07 06 05 28 ca 22 02 03');

/** Session CONNECT carrying presentation CP, ACSE AARQ and the MMS initiate-request. */
export function connect(): Buffer {
  const aarq = tlv(0x60, APP_CTX, external(tlv(0xa8, initDetail)));
  const ctxList = tlv(0xa4,
    tlv(0x30, hex('02 01 01 06 04 52 01 00 01 30 04 06 02 51 01')),
    tlv(0x30, hex(`02 01 0${MMS_CTX} 06 05 28 ca 22 02 01 30 04 06 02 51 01`)));
  const cp = tlv(0x31, hex('a0 03 80 01 01'), tlv(0xa2, hex('81 04 00 00 00 01 82 04 00 00 00 01'), ctxList, tlv(0x61, tlv(0x30, hex('02 01 01'), tlv(0xa0, aarq)))));
  const params = Buffer.concat([hex('05 06 13 01 00 16 01 02 14 02 00 02 33 02 00 01 34 02 00 01'), tlv(0xc1, cp)]);
  return dt(Buffer.concat([Buffer.from([0x0d, params.length]), params]));
}

/** Session ACCEPT carrying presentation CPA, ACSE AARE and the MMS initiate-response. */
export function accept(): Buffer {
  const aare = tlv(0x61, APP_CTX, hex('a2 03 02 01 00 a3 05 a1 03 02 01 00'), external(tlv(0xa9, initDetail)));
  const cpa = tlv(0x31, hex('a0 03 80 01 01'), tlv(0xa2, hex('83 04 00 00 00 01'), tlv(0xa5, hex('30 07 80 01 00 81 02 51 01 30 07 80 01 00 81 02 51 01')), tlv(0x61, tlv(0x30, hex('02 01 01'), tlv(0xa0, aare)))));
  const params = Buffer.concat([hex('05 06 13 01 00 16 01 02 14 02 00 02'), tlv(0xc1, cpa)]);
  return dt(Buffer.concat([Buffer.from([0x0e, params.length]), params]));
}

/** An MMS PDU in session data transfer and presentation fully-encoded data (context 3). */
export function mmsData(mms: Buffer): Buffer {
  return dt(Buffer.concat([hex('01 00 01 00'), tlv(0x61, tlv(0x30, Buffer.from([2, 1, MMS_CTX]), tlv(0xa0, mms)))]));
}

const objectName = (domain: string, item: string): Buffer => tlv(0xa1, tlv(0x1a, str(domain)), tlv(0x1a, str(item)));
const varSpec = (domain: string, item: string): Buffer => tlv(0xa0, tlv(0x30, tlv(0xa0, objectName(domain, item))));

export const confirmedRequest = (id: number, service: Buffer): Buffer => tlv(0xa0, Buffer.from([2, 1, id]), service);
export const confirmedResponse = (id: number, service: Buffer): Buffer => tlv(0xa1, Buffer.from([2, 1, id]), service);

export const READ = (id: number): Buffer => confirmedRequest(id, tlv(0xa4, tlv(0xa1, varSpec('LD0', 'MMXU1$MX$TotW'))));
export const READ_RESP = (id: number): Buffer => confirmedResponse(id, tlv(0xa4, tlv(0xa1, hex('87 05 08 42 c8 00 00'))));
export const WRITE = (id: number): Buffer => confirmedRequest(id, tlv(0xa5, varSpec('LD0', 'CSWI1$CO$Pos$Oper'), tlv(0xa0, hex('83 01 01'))));
export const WRITE_RESP = (id: number): Buffer => confirmedResponse(id, tlv(0xa5, hex('81 00')));
export const GET_NAME_LIST = (id: number): Buffer => confirmedRequest(id, tlv(0xa1, hex('a0 03 80 01 09 a1 02 80 00')));
export const GET_NAME_LIST_RESP = (id: number): Buffer => confirmedResponse(id, tlv(0xa1, tlv(0xa0, tlv(0x1a, str('LD0'))), hex('81 01 00')));
export const GET_VAR_ATTR = (id: number): Buffer => confirmedRequest(id, tlv(0xa6, tlv(0xa0, objectName('LD0', 'LLN0'))));
export const IDENTIFY = (id: number): Buffer => confirmedRequest(id, hex('82 00'));
export const IDENTIFY_RESP = (id: number): Buffer => confirmedResponse(id, tlv(0xa2, tlv(0x80, str('ABB')), tlv(0x81, str('REF615')), tlv(0x82, str('5.0 FP1'))));
export const FILE_OPEN = (id: number): Buffer => confirmedRequest(id, tlv([0xbf, 0x48], tlv(0xa0, tlv(0x19, str('/COMTRADE/a.cfg'))), hex('81 01 00')));
export const ERROR = (id: number): Buffer => tlv(0xa2, Buffer.from([0x80, 1, id]), tlv(0xa2, hex('a0 03 80 01 02')));

/** A whole association: COTP connect, MMS initiate, the given exchanges, as a pcap on TCP 102. */
export function writeMmsPcap(file: string, exchanges: ReadonlyArray<readonly [Buffer, Buffer]>): void {
  const p: PcapPayload[] = [
    { fromClient: true, payload: COTP_CR },
    { fromClient: false, payload: COTP_CC },
    { fromClient: true, payload: connect() },
    { fromClient: false, payload: accept() },
  ];
  for (const [req, resp] of exchanges) p.push({ fromClient: true, payload: mmsData(req) }, { fromClient: false, payload: mmsData(resp) });
  writePcap(file, p, { serverPort: 102 });
}
