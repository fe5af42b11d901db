/**
 * Test helper: builders for EtherNet/IP encapsulation messages and CIP requests/replies (ODVA
 * CIP Vol. 1 2-4, Vol. 2 2-3/2-6), and a synthetic conversation covering what the public captures
 * lack (sessions, Unconnected Send, Forward Open/Close, tag services, errors, file object). The
 * conversation is written to a pcap in the oracle test so tshark checks these bytes too.
 */

export const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

function u16(v: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(v, 0);
  return b;
}
function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0, 0);
  return b;
}

export interface EncapOptions {
  session?: number;
  status?: number;
  context?: string;
}

export function encap(command: number, data: Buffer, o: EncapOptions = {}): Buffer {
  const h = Buffer.alloc(24);
  h.writeUInt16LE(command, 0);
  h.writeUInt16LE(data.length, 2);
  h.writeUInt32LE((o.session ?? 0x11223344) >>> 0, 4);
  h.writeUInt32LE((o.status ?? 0) >>> 0, 8);
  hex(o.context ?? '0102030405060708').copy(h, 12);
  return Buffer.concat([h, data]);
}

/** SendRRData command data: interface handle, timeout, CPF [null address, unconnected data]. */
export function rrData(cip: Buffer): Buffer {
  return Buffer.concat([u32(0), u16(10), u16(2), u16(0x0000), u16(0), u16(0x00b2), u16(cip.length), cip]);
}

/** SendUnitData command data: CPF [connected address, connected data (sequence count + CIP)]. */
export function unitData(connId: number, seq: number, cip: Buffer): Buffer {
  return Buffer.concat([u32(0), u16(0), u16(2), u16(0x00a1), u16(4), u32(connId), u16(0x00b1), u16(cip.length + 2), u16(seq), cip]);
}

/** Padded EPATH of a Logix tag: `Program:Main.Motor[3]` -> 0x91 segments + member segments. */
export function tagPath(tag: string): Buffer {
  const parts: Buffer[] = [];
  for (const piece of tag.split('.')) {
    const m = /^([^[]+)(?:\[([\d,]+)\])?$/.exec(piece)!;
    const name = Buffer.from(m[1]!, 'latin1');
    parts.push(Buffer.from([0x91, name.length]), name);
    if (name.length & 1) parts.push(Buffer.from([0]));
    if (m[2]) for (const idx of m[2].split(',')) parts.push(Buffer.from([0x28, Number(idx)]));
  }
  return Buffer.concat(parts);
}

/** 8-bit logical path class/instance[/attribute]. */
export function logicalPath(classId: number, instance: number, attribute?: number): Buffer {
  const b = [0x20, classId, 0x24, instance];
  if (attribute !== undefined) b.push(0x30, attribute);
  return Buffer.from(b);
}

export function cipRequest(service: number, path: Buffer, data: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([Buffer.from([service, path.length / 2]), path, data]);
}

export function cipReply(service: number, status = 0, data: Buffer = Buffer.alloc(0), ext: number[] = []): Buffer {
  return Buffer.concat([Buffer.from([service | 0x80, 0, status, ext.length]), ...ext.map(u16), data]);
}

/** Unconnected Send (0x52 on Connection Manager 6/1) of `embedded` to backplane slot 0. */
export function unconnectedSend(embedded: Buffer): Buffer {
  const pad = embedded.length & 1 ? Buffer.from([0]) : Buffer.alloc(0);
  return cipRequest(0x52, logicalPath(6, 1), Buffer.concat([Buffer.from([0x0a, 0x05]), u16(embedded.length), embedded, pad, hex('01 00 01 00')]));
}

/** Multiple Service Packet body: count, offsets from the count field, the services. */
export function mspBody(services: Buffer[]): Buffer {
  const offsets: number[] = [];
  let o = 2 + 2 * services.length;
  for (const s of services) {
    offsets.push(o);
    o += s.length;
  }
  return Buffer.concat([u16(services.length), ...offsets.map(u16), ...services]);
}

/** Identity object image (Vol. 1 5A-2.2 attributes 1-7). */
export function identityImage(vendor: number, deviceType: number, productCode: number, major: number, minor: number, serial: number, name: string): Buffer {
  const n = Buffer.from(name, 'latin1');
  return Buffer.concat([u16(vendor), u16(deviceType), u16(productCode), Buffer.from([major, minor]), u16(0x0030), u32(serial), Buffer.from([n.length]), n]);
}

/** ListIdentity reply command data with one CIP Identity item (Vol. 2 2-4.3.2). */
export function listIdentityReply(image: Buffer): Buffer {
  const sockaddr = hex('0002 af12 0a000002 0000000000000000');
  const item = Buffer.concat([u16(1), sockaddr, image, Buffer.from([0x03])]);
  return Buffer.concat([u16(1), u16(0x000c), u16(item.length), item]);
}

const fwdOpenData = hex('0a0e 00000000 01000080 0100 0100 78563412 01 000000 40420f00 f443 40420f00 f443 a3 03 01 00 20 02 24 01');
const fwdOpenReplyData = hex('01000081 01000080 0100 0100 78563412 40420f00 40420f00 00 00');
const largeFwdOpenData = hex('0a0e 00000000 02000080 0200 0100 78563412 01 000000 40420f00 f4430000 40420f00 f4430000 a3 03 01 00 20 02 24 01');
const fwdCloseData = hex('0a0e 0100 0100 78563412 03 00 01 00 20 02 24 01');

export interface SyntheticPdu {
  name: string;
  fromClient: boolean;
  pdu: Buffer;
}

/** The synthetic conversation (one TCP connection, client -> server 44818), in order. */
export function syntheticConversation(): SyntheticPdu[] {
  const out: SyntheticPdu[] = [];
  const add = (name: string, fromClient: boolean, pdu: Buffer): void => {
    out.push({ name, fromClient, pdu });
  };
  const ctx = (n: number): string => n.toString(16).padStart(2, '0').repeat(8);
  const readMotor = cipRequest(0x4c, tagPath('Program:Main.Motor[3]'), u16(1));
  add('RegisterSession request', true, encap(0x65, hex('0100 0000'), { session: 0 }));
  add('RegisterSession reply', false, encap(0x65, hex('0100 0000')));
  add('ListServices request', true, encap(0x04, Buffer.alloc(0)));
  add('ListServices reply', false, encap(0x04, Buffer.concat([u16(1), u16(0x100), u16(20), u16(1), u16(0x0120), Buffer.from('Communications\0\0', 'latin1')])));
  add('ListIdentity request', true, encap(0x63, Buffer.alloc(0), { session: 0 }));
  add('ListIdentity reply', false, encap(0x63, listIdentityReply(identityImage(1, 14, 0x6a, 32, 11, 0xc0ffee01, '1756-L83E/B')), { session: 0 }));
  add('Unconnected Send(Read Tag) request', true, encap(0x6f, rrData(unconnectedSend(readMotor)), { context: ctx(1) }));
  add('Read Tag reply (via Unconnected Send)', false, encap(0x6f, rrData(cipReply(0x4c, 0, hex('c400 2a000000'))), { context: ctx(1) }));
  add('Forward Open request', true, encap(0x6f, rrData(cipRequest(0x54, logicalPath(6, 1), fwdOpenData)), { context: ctx(2) }));
  add('Forward Open reply', false, encap(0x6f, rrData(cipReply(0x54, 0, fwdOpenReplyData)), { context: ctx(2) }));
  add('Large Forward Open request', true, encap(0x6f, rrData(cipRequest(0x5b, logicalPath(6, 1), largeFwdOpenData)), { context: ctx(3) }));
  add('Large Forward Open reply', false, encap(0x6f, rrData(cipReply(0x5b, 0, fwdOpenReplyData)), { context: ctx(3) }));
  add(
    'Multiple Service Packet request (connected)',
    true,
    encap(
      0x70,
      unitData(0x81000001, 7, cipRequest(0x0a, logicalPath(2, 1), mspBody([
        readMotor,
        cipRequest(0x4d, tagPath('Setpoint'), hex('ca00 0100 00004842')),
        cipRequest(0x52, tagPath('BigArray'), hex('0100 00000000')),
        cipRequest(0x0e, logicalPath(1, 1, 7)),
      ]))),
    ),
  );
  add(
    'Multiple Service Packet reply (embedded error)',
    false,
    encap(
      0x70,
      unitData(0x80000001, 7, cipReply(0x0a, 0x1e, mspBody([
        cipReply(0x4c, 0, hex('c400 2a000000')),
        cipReply(0x4d, 0x05, Buffer.alloc(0), [0]),
        cipReply(0x52, 0x06, hex('c400 01000000')),
        cipReply(0x0e, 0, hex('04 31373536')),
      ]))),
    ),
  );
  add('Write Tag Fragmented request (connected)', true, encap(0x70, unitData(0x81000001, 8, cipRequest(0x53, tagPath('BigArray[2]'), hex('c400 0400 00000000 01000000')))));
  add('Write Tag Fragmented reply (connected)', false, encap(0x70, unitData(0x80000001, 8, cipReply(0x53))));
  add('Unconnected Send request (to time out)', true, encap(0x6f, rrData(unconnectedSend(readMotor)), { context: ctx(4) }));
  add('Unconnected Send error reply', false, encap(0x6f, rrData(cipReply(0x52, 0x01, hex('00 00'), [0x0204])), { context: ctx(4) }));
  add('Get_Attributes_All(Identity) request', true, encap(0x6f, rrData(cipRequest(0x01, logicalPath(1, 1))), { context: ctx(5) }));
  add('Get_Attributes_All(Identity) reply', false, encap(0x6f, rrData(cipReply(0x01, 0, Buffer.concat([identityImage(1251, 14, 0x0101, 2, 9, 0x12345678, 'SIMATIC S7-1500'), hex('00')]))), { context: ctx(5) }));
  add('Reset request', true, encap(0x6f, rrData(cipRequest(0x05, logicalPath(1, 1), hex('00'))), { context: ctx(6) }));
  add('Reset error reply', false, encap(0x6f, rrData(cipReply(0x05, 0x08)), { context: ctx(6) }));
  add('Initiate Download request', true, encap(0x6f, rrData(cipRequest(0x4c, logicalPath(0x37, 0xc8), hex('00100000 0100 0000'))), { context: ctx(7) }));
  add('Initiate Download reply', false, encap(0x6f, rrData(cipReply(0x4c, 0, hex('00100000 00 00'))), { context: ctx(7) }));
  add('Forward Close request', true, encap(0x6f, rrData(cipRequest(0x4e, logicalPath(6, 1), fwdCloseData)), { context: ctx(8) }));
  add('Forward Close reply', false, encap(0x6f, rrData(cipReply(0x4e, 0, hex('0100 0100 78563412 00 00'))), { context: ctx(8) }));
  add('SendRRData with an invalid session', true, encap(0x6f, rrData(cipRequest(0x0e, logicalPath(1, 1, 1))), { session: 0xdead, context: ctx(9) }));
  add('SendRRData encapsulation error reply', false, encap(0x6f, Buffer.alloc(0), { session: 0xdead, status: 0x64, context: ctx(9) }));
  add('UnRegisterSession', true, encap(0x66, Buffer.alloc(0)));
  return out;
}
