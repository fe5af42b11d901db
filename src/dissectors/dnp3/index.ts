/** DNP3 (IEEE 1815) over TCP/UDP 20000. */
export { dnp3, Dnp3State, DNP3_PORT, DNP3_OBJECT_MASTER, DNP3_OBJECT_OUTSTATION, DNP3_MAX_FRAGMENT } from './dnp3.js';
export { dnp3Crc, dnp3CrcOk } from './dnp3Crc.js';
export * from './dnp3Codes.js';
export { DNP3_OBJECT_POINT, describeDnp3Object, dnp3ObjectKey, formatDnp3Object, readDnp3Objects, OBJ_ALL, OBJ_COUNT, OBJ_INDEX, OBJ_RANGE } from './dnp3Objects.js';
