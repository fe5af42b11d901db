/** OPC UA Binary (opc.tcp) dissector, OPC 10000-6. */
export { opcua, SPACE_MESSAGE, SPACE_SERVICE, MAX_MESSAGE_SIZE } from './opcua.js';
export type { OpcuaState } from './opcua.js';
export { SERVICE_TYPES, serviceType } from './serviceTypes.js';
export type { ServiceType } from './serviceTypes.js';
export { describeMessageType, MT_ACK, MT_CLO, MT_ERR, MT_HEL, MT_MSG, MT_OPN, MT_RHE, abortCode, continuationCode } from './messageTypes.js';
