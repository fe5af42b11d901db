/** EtherNet/IP + CIP dissectors (ODVA CIP Vol. 1 and Vol. 2). */
export { enip, walkCpf, SPACE_CIP, SPACE_ENCAP, ENIP_PORT } from './enip.js';
export { cipIo, CIP_IO_PORT, IO_IMPLICIT } from './cipIo.js';
export { EnipState } from './EnipState.js';
export { describeCipService, cipOpClass, isObjectSpecific } from './describeCipService.js';
export { describeEncapCommand } from './encapCommands.js';
export { vendorName, deviceTypeName } from './vendorName.js';
