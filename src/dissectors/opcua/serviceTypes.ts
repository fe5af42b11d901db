/**
 * OPC UA service request/response types, keyed by the numeric NodeId of their DefaultBinary encoding
 * (the ExpandedNodeId that starts every service message body: OPC 10000-6, 6.7.2.5 and 5.2.2.15;
 * identifiers from the OPC Foundation NodeIds.csv, namespace 0, checked against tshark 4.0's opcua
 * dissector table `opcua.servicenodeid.numeric`).
 *
 * Operation classes follow ../shared/design/INTERFACES.md "Operation classes": reads, browsing,
 * subscriptions, monitored items and Publish are 'read'; Write, Call, HistoryUpdate and node
 * management are 'write'; secure channel, session and discovery services are 'session'.
 */
import type { FunctionInfo, OpClass } from '../types.js';
import { KIND_EXCEPTION, KIND_REQUEST, KIND_RESPONSE } from '../types.js';

export interface ServiceType extends FunctionInfo {
  /** KIND_REQUEST, KIND_RESPONSE or KIND_EXCEPTION (ServiceFault). */
  kind: number;
}

export const SERVICE_FAULT = 397;
export const OPEN_SECURE_CHANNEL_REQUEST = 446;
export const OPEN_SECURE_CHANNEL_RESPONSE = 449;
export const CLOSE_SECURE_CHANNEL_REQUEST = 452;
export const GET_ENDPOINTS_RESPONSE = 431;
export const CREATE_SESSION_REQUEST = 461;
export const CREATE_SESSION_RESPONSE = 464;
export const READ_REQUEST = 631;

/**
 * [request binary encoding id, request name stem, op class, response id]; the response id defaults to
 * the request id + 3 (true of all services up to 850; not of FindServersOnNetwork and RegisterServer2).
 */
const PAIRS: ReadonlyArray<readonly [number, string, OpClass, number?]> = [
  // Discovery service set (OPC 10000-4, 5.4): used to open sessions -> 'session'
  [422, 'FIND_SERVERS', 'session'],
  [12208, 'FIND_SERVERS_ON_NETWORK', 'session', 12209],
  [428, 'GET_ENDPOINTS', 'session'],
  [437, 'REGISTER_SERVER', 'session'],
  [12211, 'REGISTER_SERVER2', 'session', 12212],
  // SecureChannel service set (5.5)
  [446, 'OPEN_SECURE_CHANNEL', 'session'],
  [452, 'CLOSE_SECURE_CHANNEL', 'session'],
  // Session service set (5.6)
  [461, 'CREATE_SESSION', 'session'],
  [467, 'ACTIVATE_SESSION', 'session'],
  [473, 'CLOSE_SESSION', 'session'],
  [479, 'CANCEL', 'session'],
  // NodeManagement service set (5.7): changes the address space -> 'write'
  [488, 'ADD_NODES', 'write'],
  [494, 'ADD_REFERENCES', 'write'],
  [500, 'DELETE_NODES', 'write'],
  [506, 'DELETE_REFERENCES', 'write'],
  // View service set (5.8)
  [527, 'BROWSE', 'read'],
  [533, 'BROWSE_NEXT', 'read'],
  [554, 'TRANSLATE_BROWSE_PATHS_TO_NODE_IDS', 'read'],
  [560, 'REGISTER_NODES', 'read'],
  [566, 'UNREGISTER_NODES', 'read'],
  // Query service set (5.9)
  [615, 'QUERY_FIRST', 'read'],
  [621, 'QUERY_NEXT', 'read'],
  // Attribute service set (5.10)
  [631, 'READ', 'read'],
  [664, 'HISTORY_READ', 'read'],
  [673, 'WRITE', 'write'],
  [700, 'HISTORY_UPDATE', 'write'],
  // Method service set (5.11)
  [712, 'CALL', 'write'],
  // MonitoredItem service set (5.12)
  [751, 'CREATE_MONITORED_ITEMS', 'read'],
  [763, 'MODIFY_MONITORED_ITEMS', 'read'],
  [769, 'SET_MONITORING_MODE', 'read'],
  [775, 'SET_TRIGGERING', 'read'],
  [781, 'DELETE_MONITORED_ITEMS', 'read'],
  // Subscription service set (5.13)
  [787, 'CREATE_SUBSCRIPTION', 'read'],
  [793, 'MODIFY_SUBSCRIPTION', 'read'],
  [799, 'SET_PUBLISHING_MODE', 'read'],
  [826, 'PUBLISH', 'read'],
  [832, 'REPUBLISH', 'read'],
  [841, 'TRANSFER_SUBSCRIPTIONS', 'read'],
  [847, 'DELETE_SUBSCRIPTIONS', 'read'],
  // Test services of the stack (no Part 4 service set)
  [410, 'TEST_STACK', 'diagnostic'],
  [416, 'TEST_STACK_EX', 'diagnostic'],
];

/** Builds the lookup table (pure: evaluated once when the module is loaded, touches nothing else). */
function buildTable(): ReadonlyMap<number, ServiceType> {
  const m = new Map<number, ServiceType>();
  for (const [req, stem, opClass, resp] of PAIRS) {
    m.set(req, Object.freeze({ name: `${stem}_REQUEST`, opClass, kind: KIND_REQUEST }));
    m.set(resp ?? req + 3, Object.freeze({ name: `${stem}_RESPONSE`, opClass, kind: KIND_RESPONSE }));
  }
  // ServiceFault (OPC 10000-4, 7.35): any service's error response. Class 'session': it carries no
  // operation of its own and must not make a read-only conduit look like it carries writes.
  m.set(SERVICE_FAULT, Object.freeze({ name: 'SERVICE_FAULT', opClass: 'session', kind: KIND_EXCEPTION }));
  return m;
}

/** Service types by numeric binary encoding id (namespace 0). */
export const SERVICE_TYPES: ReadonlyMap<number, ServiceType> = buildTable();

/** The service type of a namespace-0 numeric id, or undefined when unknown. */
export function serviceType(id: number): ServiceType | undefined {
  return SERVICE_TYPES.get(id);
}
