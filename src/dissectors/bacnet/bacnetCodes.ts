/**
 * BACnet codes (ASHRAE 135-2020): confirmed services (clause 21, BACnetConfirmedServiceChoice),
 * unconfirmed services (BACnetUnconfirmedServiceChoice), BVLC functions (annex J.2) and APDU types
 * without a service (clause 20.1), with operation classes (docs/INTERFACES.md): property, list and
 * object changes are `write`; DeviceCommunicationControl, ReinitializeDevice and life-safety operations
 * are `control`; AtomicWriteFile is `program`; reads, COV subscriptions and notifications are `read`;
 * Who-Is/I-Am and Who-Has/I-Have are `diagnostic`; time synchronisation is `write` (it sets the clock).
 */
import type { FunctionInfo, OpClass } from '../types.js';
import { unknownName } from '../types.js';

export const BACNET_SPACE_CONFIRMED = 0;
export const BACNET_SPACE_UNCONFIRMED = 1;
export const BACNET_SPACE_BVLC = 2;
export const BACNET_SPACE_NETWORK = 3;
export const BACNET_SPACE_APDU = 4;

export const SVC_READ_PROPERTY = 12;
export const SVC_WRITE_PROPERTY = 15;
export const USVC_I_AM = 0;
export const USVC_I_HAVE = 1;

const CONFIRMED: ReadonlyArray<readonly [string, OpClass]> = [
  ['ACKNOWLEDGE_ALARM', 'write'], ['CONFIRMED_COV_NOTIFICATION', 'read'], ['CONFIRMED_EVENT_NOTIFICATION', 'read'],
  ['GET_ALARM_SUMMARY', 'read'], ['GET_ENROLLMENT_SUMMARY', 'read'], ['SUBSCRIBE_COV', 'read'], ['ATOMIC_READ_FILE', 'read'],
  ['ATOMIC_WRITE_FILE', 'program'], ['ADD_LIST_ELEMENT', 'write'], ['REMOVE_LIST_ELEMENT', 'write'], ['CREATE_OBJECT', 'write'],
  ['DELETE_OBJECT', 'write'], ['READ_PROPERTY', 'read'], ['READ_PROPERTY_CONDITIONAL', 'read'], ['READ_PROPERTY_MULTIPLE', 'read'],
  ['WRITE_PROPERTY', 'write'], ['WRITE_PROPERTY_MULTIPLE', 'write'], ['DEVICE_COMMUNICATION_CONTROL', 'control'],
  ['CONFIRMED_PRIVATE_TRANSFER', 'other'], ['CONFIRMED_TEXT_MESSAGE', 'other'], ['REINITIALIZE_DEVICE', 'control'],
  ['VT_OPEN', 'session'], ['VT_CLOSE', 'session'], ['VT_DATA', 'session'], ['AUTHENTICATE', 'session'], ['REQUEST_KEY', 'session'],
  ['READ_RANGE', 'read'], ['LIFE_SAFETY_OPERATION', 'control'], ['SUBSCRIBE_COV_PROPERTY', 'read'], ['GET_EVENT_INFORMATION', 'read'],
  ['SUBSCRIBE_COV_PROPERTY_MULTIPLE', 'read'], ['CONFIRMED_COV_NOTIFICATION_MULTIPLE', 'read'], ['CONFIRMED_AUDIT_NOTIFICATION', 'read'],
  ['AUDIT_LOG_QUERY', 'read'],
];

const UNCONFIRMED: ReadonlyArray<readonly [string, OpClass]> = [
  ['I_AM', 'diagnostic'], ['I_HAVE', 'diagnostic'], ['UNCONFIRMED_COV_NOTIFICATION', 'read'], ['UNCONFIRMED_EVENT_NOTIFICATION', 'read'],
  ['UNCONFIRMED_PRIVATE_TRANSFER', 'other'], ['UNCONFIRMED_TEXT_MESSAGE', 'other'], ['TIME_SYNCHRONIZATION', 'write'],
  ['WHO_HAS', 'diagnostic'], ['WHO_IS', 'diagnostic'], ['UTC_TIME_SYNCHRONIZATION', 'write'], ['WRITE_GROUP', 'write'],
  ['UNCONFIRMED_COV_NOTIFICATION_MULTIPLE', 'read'], ['UNCONFIRMED_AUDIT_NOTIFICATION', 'read'], ['WHO_AM_I', 'diagnostic'],
  ['YOU_ARE', 'write'],
];

const BVLC: readonly string[] = [
  'BVLC_RESULT', 'WRITE_BROADCAST_DISTRIBUTION_TABLE', 'READ_BROADCAST_DISTRIBUTION_TABLE', 'READ_BROADCAST_DISTRIBUTION_TABLE_ACK',
  'FORWARDED_NPDU', 'REGISTER_FOREIGN_DEVICE', 'READ_FOREIGN_DEVICE_TABLE', 'READ_FOREIGN_DEVICE_TABLE_ACK',
  'DELETE_FOREIGN_DEVICE_TABLE_ENTRY', 'DISTRIBUTE_BROADCAST_TO_NETWORK', 'ORIGINAL_UNICAST_NPDU', 'ORIGINAL_BROADCAST_NPDU', 'SECURE_BVLL',
];
const BVLC_CLASS: readonly OpClass[] = ['session', 'write', 'read', 'read', 'session', 'session', 'read', 'read', 'write', 'session', 'session', 'session', 'session'];

const NETWORK: readonly string[] = [
  'WHO_IS_ROUTER_TO_NETWORK', 'I_AM_ROUTER_TO_NETWORK', 'I_COULD_BE_ROUTER_TO_NETWORK', 'REJECT_MESSAGE_TO_NETWORK',
  'ROUTER_BUSY_TO_NETWORK', 'ROUTER_AVAILABLE_TO_NETWORK', 'INITIALIZE_ROUTING_TABLE', 'INITIALIZE_ROUTING_TABLE_ACK',
  'ESTABLISH_CONNECTION_TO_NETWORK', 'DISCONNECT_CONNECTION_TO_NETWORK', 'CHALLENGE_REQUEST', 'SECURITY_PAYLOAD', 'SECURITY_RESPONSE',
  'REQUEST_KEY_UPDATE', 'UPDATE_KEY_SET', 'UPDATE_DISTRIBUTION_KEY', 'REQUEST_MASTER_KEY', 'SET_MASTER_KEY', 'WHAT_IS_NETWORK_NUMBER',
  'NETWORK_NUMBER_IS',
];

/** APDU types that carry no service (space 4): the PDU type. */
const APDU: ReadonlyMap<number, string> = new Map([[4, 'SEGMENT_ACK'], [6, 'REJECT'], [7, 'ABORT']]);

const freeze = (name: string, opClass: OpClass): FunctionInfo => Object.freeze({ name, opClass });
const CONF_INFO = CONFIRMED.map(([n, c]) => freeze(n, c));
const UNCONF_INFO = UNCONFIRMED.map(([n, c]) => freeze(n, c));
const BVLC_INFO = BVLC.map((n, i) => freeze(n, BVLC_CLASS[i]!));
const NET_INFO = NETWORK.map((n) => freeze(n, 'session'));

export function describeBacnet(space: number, code: number): FunctionInfo {
  let i: FunctionInfo | undefined;
  if (space === BACNET_SPACE_CONFIRMED) i = CONF_INFO[code];
  else if (space === BACNET_SPACE_UNCONFIRMED) i = UNCONF_INFO[code];
  else if (space === BACNET_SPACE_BVLC) i = BVLC_INFO[code];
  else if (space === BACNET_SPACE_NETWORK) i = NET_INFO[code];
  else if (space === BACNET_SPACE_APDU) {
    const n = APDU.get(code);
    if (n) i = freeze(n, 'session');
  }
  return i ?? { name: unknownName(code), opClass: 'other' };
}

export function confirmedChangesState(service: number): boolean {
  const c = CONF_INFO[service]?.opClass;
  return c === 'write' || c === 'control' || c === 'program';
}
