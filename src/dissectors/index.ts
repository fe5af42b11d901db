/**
 * The default dissector list, in registry order (earlier entries win port conflicts and are tried
 * first as heuristics). Build a registry with createRegistry(defaultDissectors, { decodeAs }).
 */
import type { Dissector } from './types.js';
import { modbusTcp } from './modbus-tcp/modbusTcp.js';
import { cipIo, enip } from './enip/index.js';
import { s7comm } from './s7comm/index.js';
import { opcua } from './opcua/index.js';
import { dns } from './dns/dns.js';
import { netbiosNs } from './netbios-ns/netbiosNs.js';
import { llmnr, mdns } from './llmnr-mdns/index.js';
import { dhcp } from './dhcp/dhcp.js';
import { dnp3 } from './dnp3/index.js';
import { iec104 } from './iec104/index.js';
import { bacnet } from './bacnet/index.js';
import { mms, s7commPlus } from './mms/index.js';

export const defaultDissectors: readonly Dissector[] = [
  modbusTcp, enip, cipIo, s7comm, opcua,
  dns, netbiosNs, mdns, llmnr, dhcp,
  dnp3, iec104, bacnet, mms, s7commPlus,
] as readonly Dissector[];
