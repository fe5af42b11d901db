/** BACnet/IP on UDP 47808. */
export { bacnet, BACNET_PORT, BACNET_OBJECT_OBJECT } from './bacnet.js';
export * from './bacnetCodes.js';
