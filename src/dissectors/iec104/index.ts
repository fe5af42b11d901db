/** IEC 60870-5-104 on TCP 2404. */
export { iec104, IEC104_PORT, IEC104_OBJECT_COMMON_ADDRESS, IEC104_OBJECT_IOA } from './iec104.js';
export * from './iec104Codes.js';
