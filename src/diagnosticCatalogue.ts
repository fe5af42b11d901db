/**
 * Every diagnostic code zonescope reports, declared once with its usual severity, the stage that
 * reports it, a one-line meaning and what to do (the way arethetypeswrong's problemKindInfo does).
 * The CLI summary, the README (npm run docs:diagnostics) and the report list this catalogue.
 *
 * Adding a code is one line here: `MY_CODE: d('warning', 'stage', 'What it means.', 'What to do.'),`.
 * The `Diagnostic.code` type is the union of these keys, so a new code that is not declared here does
 * not compile; then run `npm run docs:diagnostics` to update the README (a test checks they agree).
 */
import { DESIGN_CODES } from './design/designCodes.js';
import type { Severity } from './diagnostics.js';

export type DiagnosticStage = 'input' | 'capture' | 'pipeline' | 'live' | 'frame' | 'dissector' | 'inventory' | 'store' | 'zones' | 'design';

export interface DiagnosticInfo {
  severity: Severity;
  stage: DiagnosticStage;
  /** One sentence: what happened. */
  meaning: string;
  /** One sentence: what the user can do. */
  action: string;
}

const d = (severity: Severity, stage: DiagnosticStage, meaning: string, action: string): DiagnosticInfo => ({ severity, stage, meaning, action });

const PDU_KEPT = 'The PDU is counted as malformed and the rest of the stream is still dissected; check the sender if it repeats.';

export const DIAGNOSTIC_CATALOGUE = {
  // ---- inputs
  INPUT_NOT_FOUND: d('error', 'input', 'An input names no existing file or folder, or a glob matches no capture.', 'Check the path; quote globs so that zonescope, not the shell, expands them.'),
  INPUT_UNREADABLE: d('error', 'input', 'A folder given as input cannot be listed.', 'Check its permissions; the other inputs are still ingested.'),
  INPUT_NO_CAPTURES: d('warning', 'input', 'A folder given as input holds no capture file (.pcap, .pcapng, .cap, optionally .gz).', 'Point at the folder the captures are in, or name the files.'),
  // ---- capture files
  CAPTURE_UNREADABLE: d('error', 'capture', 'A capture file cannot be opened or read.', 'Check that the file exists and is readable; run again to ingest it.'),
  CAPTURE_EMPTY: d('warning', 'capture', 'A capture file is empty (0 bytes).', 'Nothing to do unless it should hold traffic: check the capture job that wrote it.'),
  CAPTURE_UNKNOWN_FORMAT: d('error', 'capture', 'A file is not pcap, pcapng or gzip (unknown magic number).', 'Convert it with editcap -F pcapng, or leave it out of the inputs.'),
  CAPTURE_RESYNC: d('note', 'capture', 'After damaged bytes, reading resumed at the next plausible record or block.', 'None: the records after the damage are kept; the damage itself is reported beside.'),
  GZIP_TRUNCATED: d('warning', 'capture', 'A gzip capture ends before its compressed stream does (a file cut short, e.g. still being written).', 'The records before the cut are kept; ingest the complete file later and it is resumed.'),
  GZIP_CORRUPT: d('error', 'capture', 'A gzip capture holds corrupt compressed data.', 'The records before the damage are kept; get an intact copy of the file if you need the rest.'),
  PCAP_TRUNCATED_HEADER: d('warning', 'capture', 'A pcap file ends inside its 24-byte file header.', 'The file holds no packet; check the capture job that wrote it.'),
  PCAP_UNSUPPORTED_VERSION: d('warning', 'capture', 'A pcap file header states a version other than 2.4; it is read as 2.4.', 'Check the results against Wireshark if the counts look wrong.'),
  PCAP_BAD_RECORD_LENGTH: d('error', 'capture', 'A pcap record header states an impossible length (damaged file).', 'The damaged record is skipped and reading resynchronises; every other record is kept.'),
  PCAP_RESYNC_FAILED: d('note', 'capture', 'No plausible pcap record follows the damage: the rest of the file is skipped.', 'Repair the file with pcapfix or get an intact copy if you need the rest.'),
  PCAP_TRUNCATED_RECORD: d('warning', 'capture', 'A pcap file ends inside a record (cut short, e.g. still being written).', 'The complete records are kept; when the file has grown, ingest it again and it is resumed.'),
  PCAPNG_BAD_BYTE_ORDER_MAGIC: d('error', 'capture', 'A pcapng section header has an invalid byte-order magic (damaged file).', 'The block is skipped and reading resynchronises; every other block is kept.'),
  PCAPNG_BAD_BLOCK_LENGTH: d('error', 'capture', 'A pcapng block states an impossible total length (damaged file).', 'The block is skipped and reading resynchronises; every other block is kept.'),
  PCAPNG_BLOCK_LENGTH_MISMATCH: d('error', 'capture', "A pcapng block's leading and trailing lengths differ (damaged file).", 'The block is skipped and reading resynchronises; every other block is kept.'),
  PCAPNG_BAD_SECTION: d('error', 'capture', 'A pcapng section header block is too short.', 'Get an intact copy of the file; the blocks after it are still read where possible.'),
  PCAPNG_UNSUPPORTED_VERSION: d('warning', 'capture', 'A pcapng section states a major version other than 1; it is read anyway.', 'Check the results against Wireshark if the counts look wrong.'),
  PCAPNG_BAD_INTERFACE: d('error', 'capture', 'A pcapng interface description block is too short.', 'Packets on that interface may be dropped; get an intact copy of the file.'),
  PCAPNG_BAD_OPTION: d('warning', 'capture', 'A pcapng interface option overruns its block; the options after it are ignored.', 'None unless timestamps look wrong (the timestamp resolution is such an option).'),
  PCAPNG_BAD_PACKET: d('error', 'capture', 'A pcapng packet block is too short to hold a packet.', 'The block is skipped; every other packet is kept.'),
  PCAPNG_BAD_CAPLEN: d('error', 'capture', "A pcapng packet's captured length does not fit its block.", 'The packet is skipped; every other packet is kept.'),
  PCAPNG_UNKNOWN_INTERFACE: d('error', 'capture', 'A pcapng packet names an interface the section does not describe.', 'The packet is skipped; the file was probably merged or cut badly: re-export it with editcap.'),
  PCAPNG_ORIGLEN_SHORT: d('warning', 'capture', "A pcapng packet's original length is smaller than its captured length.", 'None: the captured bytes are used; the writer of the file has a bug.'),
  PCAPNG_RESYNC_FAILED: d('note', 'capture', 'No plausible pcapng block follows the damage: the rest of the file is skipped.', 'Get an intact copy of the file if you need the rest.'),
  GZIP_BAD_HEADER: d('error', 'capture', 'A gzip member header is damaged (or, when the file is cut inside it, incomplete).', 'The records before it are kept; get an intact copy of the file if you need the rest.'),
  GZIP_BAD_CRC: d('warning', 'capture', 'A gzip trailer CRC does not match the data (zcat and Wireshark read such files too).', 'Every record was kept; check the copy that damaged the file.'),
  GZIP_BAD_LENGTH: d('warning', 'capture', 'A gzip trailer length does not match the data.', 'Every record was kept; check the copy that damaged the file.'),
  GZIP_TRAILING_DATA: d('warning', 'capture', 'Bytes that are not gzip follow the last gzip member (zero padding or garbage).', 'Every record before them was kept; nothing to do unless the file should hold more.'),
  PCAP_BAD_TIMESTAMP: d('error', 'capture', 'A pcap record has a time the format cannot mean (sub-second field out of range); the record is dropped.', 'The other records are kept; check the device that wrote the file.'),
  PCAPNG_BAD_TIMESTAMP: d('error', 'capture', 'A pcapng packet has a time that no date can hold (huge if_tsoffset, unusable if_tsresol, garbage); the record is dropped.', 'The other records are kept; check the interface options of the file (capinfos -a -e).'),
  PCAP_CAPLEN_OVER_SNAPLEN: d('note', 'capture', 'Records are longer than the snap length the file header states; they are kept, as libpcap and Wireshark do.', 'None.'),
  CAPTURE_IMPLAUSIBLE_TIME: d('warning', 'capture', 'Records are dated before 1990 or from 2100 on (a device clock never set, or a damaged file); they are kept.', 'Check the capture device clock; time windows (--since/--until) will not find these records where you expect them.'),
  CAPTURE_TIME_BACKWARDS: d('warning', 'capture', 'Record times jump more than a day back on one interface; the records are kept.', 'Check the capture device clock or how the files were merged.'),
  PCAPNG_TRUNCATED_BLOCK: d('warning', 'capture', 'A pcapng file ends inside a block (cut short, e.g. still being written).', 'The complete blocks are kept; when the file has grown, ingest it again and it is resumed.'),
  // ---- frames
  FRAME_TRUNCATED: d('warning', 'frame', 'A frame ends inside its link-layer or IP header (snap length too small, or a cut record).', 'Capture with a larger snap length (tcpdump -s 0); the frame is counted but not dissected.'),
  FRAME_MALFORMED: d('warning', 'frame', 'A frame breaks inside its link-layer or IP header (impossible lengths).', 'The frame is counted but not dissected; check the SPAN port or tap if it repeats.'),
  // ---- dissection (every protocol)
  DISSECTOR_EXCEPTION: d('warning', 'dissector', 'A dissector failed on a PDU (a zonescope bug): the stream stops being dissected.', 'Please report it with the frame (zonescope keeps counting the traffic).'),
  FRAMING_INVALID: d('warning', 'dissector', 'Bytes on a stream cannot start a PDU of its protocol: dissection pauses until it resynchronises.', 'Check --decode-as if the port carries another protocol; otherwise the stream is damaged or not that protocol.'),
  // ---- Modbus/TCP (Modbus Application Protocol v1.1b3)
  MODBUS_TRUNCATED: d('warning', 'dissector', 'A Modbus/TCP PDU is shorter than the MBAP header and function code.', PDU_KEPT),
  MODBUS_BAD_PROTOCOL_ID: d('warning', 'dissector', 'The MBAP protocol id is not 0: not Modbus.', 'Check --decode-as if the port carries another protocol.'),
  MODBUS_BAD_LENGTH: d('warning', 'dissector', 'The MBAP length is outside 2..260.', PDU_KEPT),
  MODBUS_LENGTH_MISMATCH: d('warning', 'dissector', 'The MBAP length disagrees with the bytes of the PDU.', PDU_KEPT),
  MODBUS_BAD_PDU_LENGTH: d('warning', 'dissector', 'A Modbus PDU has the wrong number of data bytes for its function code.', PDU_KEPT),
  MODBUS_BAD_BYTE_COUNT: d('warning', 'dissector', "A Modbus byte count disagrees with the quantity or the PDU's bytes.", PDU_KEPT),
  MODBUS_BAD_QUANTITY: d('warning', 'dissector', 'A Modbus quantity of coils or registers is outside what the function allows.', 'The request breaks the spec (a device would answer exception 3); check the master.'),
  MODBUS_BAD_VALUE: d('warning', 'dissector', 'A Modbus field holds a value the spec does not allow (e.g. a coil value other than 0x0000/0xFF00).', 'Check the master that sent it.'),
  MODBUS_BAD_REFERENCE_TYPE: d('warning', 'dissector', 'A Modbus file record request has a reference type other than 6.', PDU_KEPT),
  MODBUS_BAD_FUNCTION_CODE: d('warning', 'dissector', 'A Modbus PDU has function code 0.', PDU_KEPT),
  MODBUS_BAD_OBJECT_LENGTH: d('warning', 'dissector', 'A Read Device Identification object runs past the PDU end.', PDU_KEPT),
  MODBUS_TRAILING_BYTES: d('warning', 'dissector', 'Bytes follow the last Read Device Identification object.', PDU_KEPT),
  // ---- EtherNet/IP and CIP (ODVA CIP Vol. 1 and 2)
  ENIP_TRUNCATED_HEADER: d('warning', 'dissector', 'An EtherNet/IP message is shorter than its 24-byte encapsulation header.', PDU_KEPT),
  ENIP_LENGTH_MISMATCH: d('warning', 'dissector', 'The encapsulation length disagrees with the bytes of the message.', PDU_KEPT),
  ENIP_BAD_COMMAND_DATA: d('warning', 'dissector', 'An encapsulation command carries the wrong amount of command data.', PDU_KEPT),
  ENIP_BAD_CPF: d('warning', 'dissector', 'The Common Packet Format items of a message are malformed.', PDU_KEPT),
  ENIP_BAD_IDENTITY: d('warning', 'dissector', 'A ListIdentity reply has a truncated CIP Identity item.', 'The device identity is not recorded from this reply.'),
  ENIP_NO_CIP: d('warning', 'dissector', 'A SendRRData/SendUnitData message carries no CIP message.', PDU_KEPT),
  ENIP_NO_CONNECTION_ID: d('warning', 'dissector', 'A class-1 I/O datagram has no sequenced or connected address item.', 'The datagram is counted as I/O without a connection.'),
  ENIP_NO_IO_DATA: d('warning', 'dissector', 'A class-1 I/O datagram has no data item.', 'The datagram is counted as I/O without data.'),
  CIP_EMPTY: d('warning', 'dissector', 'An empty CIP message.', PDU_KEPT),
  CIP_TRUNCATED: d('warning', 'dissector', 'A CIP request or reply is shorter than its header or path says.', PDU_KEPT),
  CIP_BAD_PATH: d('warning', 'dissector', 'A CIP request path (EPATH) is malformed.', 'The service is counted; the object it addresses is not recorded.'),
  CIP_BAD_UNCONNECTED_SEND: d('warning', 'dissector', 'An Unconnected Send has no or an oversized embedded message.', PDU_KEPT),
  CIP_BAD_IDENTITY: d('warning', 'dissector', 'A Get_Attributes_All reply of the Identity object is truncated.', 'The device identity is not recorded from this reply.'),
  CIP_BAD_MSP: d('warning', 'dissector', 'A Multiple Service Packet has a malformed service list.', 'The services that can be read are counted; check the client if it repeats.'),
  CIP_NESTING_TOO_DEEP: d('warning', 'dissector', 'CIP messages are nested deeper than zonescope follows (Unconnected Send / Multiple Service Packet).', 'The inner services are not counted; such nesting is unusual: check the sender.'),
  // ---- S7comm, S7comm-plus, COTP, TPKT (RFC 1006, ISO 8073)
  TPKT_TRUNCATED: d('warning', 'dissector', 'A TPKT (RFC 1006) packet is shorter than its header.', PDU_KEPT),
  TPKT_BAD_VERSION: d('warning', 'dissector', 'A TPKT header has a version other than 3.', 'Check --decode-as if port 102 carries another protocol.'),
  TPKT_LENGTH_MISMATCH: d('warning', 'dissector', 'The TPKT length disagrees with the bytes of the PDU.', PDU_KEPT),
  COTP_BAD_LENGTH: d('warning', 'dissector', 'A COTP length indicator disagrees with the bytes present.', PDU_KEPT),
  COTP_BAD_PARAMETER: d('warning', 'dissector', 'A COTP connection request/confirm parameter overruns its header.', PDU_KEPT),
  COTP_UNSUPPORTED_TPDU: d('warning', 'dissector', 'A COTP TPDU type that class 0 over RFC 1006 does not use.', PDU_KEPT),
  COTP_REASSEMBLY_OVERFLOW: d('warning', 'dissector', 'A segmented COTP message exceeds the reassembly limit.', 'The message is dropped from dissection; such sizes are unusual for S7.'),
  COTP_EMPTY_DT: d('warning', 'dissector', 'A COTP data TPDU carries no user data.', PDU_KEPT),
  S7_UNKNOWN_PROTOCOL_ID: d('warning', 'dissector', 'COTP user data starts with neither 0x32 (S7comm) nor 0x72 (S7comm-plus).', 'Check whether the port carries another ISO-on-TCP protocol.'),
  S7_TRUNCATED: d('warning', 'dissector', 'An S7comm PDU is shorter than its header.', PDU_KEPT),
  S7_UNKNOWN_ROSCTR: d('warning', 'dissector', 'An S7comm PDU has an unknown ROSCTR (message type).', PDU_KEPT),
  S7_LENGTH_MISMATCH: d('warning', 'dissector', 'S7comm parameter and data lengths need more bytes than the PDU has.', PDU_KEPT),
  S7_TRAILING_BYTES: d('warning', 'dissector', 'Bytes follow the end of an S7comm PDU.', PDU_KEPT),
  S7_NO_FUNCTION: d('warning', 'dissector', 'An S7comm Job has no parameter, so no function code.', PDU_KEPT),
  S7_ITEM_OVERRUN: d('warning', 'dissector', 'S7 Read/Write Var items overrun the parameter.', 'The function is counted; the variables it addresses are not all recorded.'),
  S7_USERDATA_PARAM_SHORT: d('warning', 'dissector', 'An S7 userdata parameter is shorter than 8 bytes.', PDU_KEPT),
  S7_SZL_REASSEMBLY_OVERFLOW: d('warning', 'dissector', 'A fragmented SZL answer exceeds the reassembly limit.', 'The identity in it is not recorded.'),
  S7_SZL_RECORD_OVERRUN: d('warning', 'dissector', 'SZL records overrun the answer.', 'The identity in it is not recorded.'),
  S7PLUS_TRUNCATED: d('warning', 'dissector', 'An S7comm-plus PDU is shorter than its header, opcode or function code.', PDU_KEPT),
  S7PLUS_LENGTH_MISMATCH: d('warning', 'dissector', 'The S7comm-plus data length exceeds the bytes present.', PDU_KEPT),
  S7PLUS_UNKNOWN_VERSION: d('warning', 'dissector', 'An unknown S7comm-plus protocol version.', 'The PDU is counted but not decoded; newer firmware may use it.'),
  S7PLUS_BAD_TRAILER: d('warning', 'dissector', 'An S7comm-plus PDU lacks its 4-byte trailer.', PDU_KEPT),
  // ---- OPC UA (OPC 10000-6)
  OPCUA_TRUNCATED: d('warning', 'dissector', 'An OPC UA message is shorter than its 8-byte header.', PDU_KEPT),
  OPCUA_UNKNOWN_MESSAGE_TYPE: d('warning', 'dissector', 'An OPC UA message type other than HEL, ACK, ERR, RHE, OPN, CLO, MSG.', 'Check --decode-as if the port carries another protocol.'),
  OPCUA_BAD_CHUNK_TYPE: d('warning', 'dissector', 'An OPC UA chunk type (IsFinal) not valid for its message type.', PDU_KEPT),
  OPCUA_LENGTH_MISMATCH: d('warning', 'dissector', 'The OPC UA MessageSize disagrees with the bytes of the PDU.', PDU_KEPT),
  OPCUA_BAD_FIELD: d('warning', 'dissector', 'An OPC UA field runs past the end of its message or is malformed.', PDU_KEPT),
  OPCUA_BAD_SERVICE_TYPE: d('warning', 'dissector', 'An OPC UA service type id is not a numeric node id.', PDU_KEPT),
  OPCUA_UNEXPECTED_SERVICE: d('warning', 'dissector', 'An OPN message carries a service other than OpenSecureChannel.', PDU_KEPT),
  // ---- DNP3 (IEEE 1815)
  DNP3_TRUNCATED: d('warning', 'dissector', 'A DNP3 link frame is shorter than its header or its length field.', PDU_KEPT),
  DNP3_BAD_START: d('warning', 'dissector', 'A DNP3 link frame does not start with 0x05 0x64: not DNP3.', 'Check --decode-as if the port carries another protocol.'),
  DNP3_BAD_LENGTH: d('warning', 'dissector', 'A DNP3 link length is below 5.', PDU_KEPT),
  DNP3_BAD_CRC: d('warning', 'dissector', 'A DNP3 link header or data block CRC does not match.', 'The frame is not counted as a function; check the link (serial gateway, terminal server) if it repeats.'),
  DNP3_TRANSPORT_SEQUENCE: d('warning', 'dissector', 'A DNP3 transport segment is out of sequence or has no first segment.', 'The partial fragment is dropped; frames lost on the SPAN port cause this.'),
  DNP3_FRAGMENT_TOO_LONG: d('warning', 'dissector', 'A DNP3 application fragment grows past 8192 bytes.', PDU_KEPT),
  DNP3_APP_TRUNCATED: d('warning', 'dissector', 'A DNP3 application fragment is too short for its control, function code or IIN.', PDU_KEPT),
  DNP3_UNEXPECTED_DATA: d('warning', 'dissector', 'A DNP3 link frame whose function carries no user data has some.', PDU_KEPT),
  DNP3_OBJECT_TRUNCATED: d('warning', 'dissector', 'A DNP3 object header, range, prefix or object runs past the end of its application fragment.', 'The function is counted; the objects after it are not recorded.'),
  DNP3_BAD_QUALIFIER: d('warning', 'dissector', 'A DNP3 object header has a reserved qualifier (prefix or range code).', 'The function is counted; the objects after it are not recorded.'),
  DNP3_BAD_RANGE: d('warning', 'dissector', 'A DNP3 object header range stops before it starts.', 'The function is counted; the objects after it are not recorded.'),
  // ---- IEC 60870-5-104
  IEC104_TRUNCATED: d('warning', 'dissector', 'An IEC 104 APDU is shorter than its start and length.', PDU_KEPT),
  IEC104_BAD_START: d('warning', 'dissector', 'An IEC 104 APDU does not start with 0x68: not IEC 104.', 'Check --decode-as if the port carries another protocol.'),
  IEC104_BAD_LENGTH: d('warning', 'dissector', 'An IEC 104 APDU length is below 4, or an S/U frame is not 4 long.', PDU_KEPT),
  IEC104_LENGTH_MISMATCH: d('warning', 'dissector', 'An IEC 104 APDU length disagrees with the framed bytes.', PDU_KEPT),
  IEC104_BAD_CONTROL: d('warning', 'dissector', 'An IEC 104 S or U frame has control octets the standard does not define.', PDU_KEPT),
  IEC104_ASDU_TRUNCATED: d('warning', 'dissector', 'An IEC 104 I frame is too short for its ASDU header or first object address.', PDU_KEPT),
  IEC104_BAD_COT: d('warning', 'dissector', 'An IEC 104 ASDU has cause of transmission 0 (not defined).', PDU_KEPT),
  // ---- BACnet/IP (ASHRAE 135)
  BACNET_TRUNCATED: d('warning', 'dissector', 'A BACnet/IP datagram is shorter than its BVLC header.', PDU_KEPT),
  BACNET_BAD_BVLC_TYPE: d('warning', 'dissector', 'A BVLC type other than 0x81: not BACnet/IP.', 'Check --decode-as if the port carries another protocol.'),
  BACNET_LENGTH_MISMATCH: d('warning', 'dissector', 'A BVLC length is below 4 or past the datagram; what is there is decoded.', PDU_KEPT),
  BACNET_TRAILING_BYTES: d('warning', 'dissector', 'Bytes follow the BVLC length in the datagram; the message is decoded.', 'Check the sender if it repeats.'),
  BACNET_BAD_NPDU_VERSION: d('warning', 'dissector', 'A BACnet NPDU version other than 1.', PDU_KEPT),
  BACNET_NPDU_TRUNCATED: d('warning', 'dissector', 'A BACnet NPDU ends inside its addresses or network message type.', PDU_KEPT),
  BACNET_APDU_TRUNCATED: d('warning', 'dissector', 'A BACnet APDU ends before its service choice (or an I-Am before its object identifier).', PDU_KEPT),
  BACNET_BAD_APDU_TYPE: d('warning', 'dissector', 'A BACnet APDU type above 7.', PDU_KEPT),
  // ---- MMS (ISO 9506) over the ISO stack on TCP 102
  MMS_BAD_SPDU: d('warning', 'dissector', 'An ISO session data transfer does not start 01 00 01 00.', PDU_KEPT),
  MMS_BAD_PRESENTATION: d('warning', 'dissector', 'ISO presentation user data is not fully-encoded data with a context id and a single ASN.1 value.', PDU_KEPT),
  MMS_BAD_PDU: d('warning', 'dissector', 'An MMS PDU is malformed (tag, invoke id or service element).', PDU_KEPT),
  MODBUS_OVERSIZE_PDU: d('warning', 'dissector', "An MBAP length of 255..260, over the spec's 254 (Modicon UMAS sends 255): decoded.", 'None: the PDU is counted; devices that exceed the spec are common.'),
  // ---- decapsulation
  DECODE_UNSUPPORTED_LINKTYPE: d('warning', 'frame', 'Frames of a link type zonescope does not decode: counted, not read.', 'Convert the capture to Ethernet (editcap -T ether) or capture on an Ethernet port.'),
  DECODE_UNKNOWN_ENCAPSULATION: d('warning', 'frame', 'A tunnel or encapsulation (GRE, MPLS, PPPoE, PPP, NFLOG) carries a protocol zonescope does not decode.', 'The outer packet is counted as it is; tell us which protocol it carries.'),
  // ---- the store (reported as errors of the command, exit 2)
  BASELINE_MISSING: d('error', 'store', 'The baseline store named does not exist or cannot be opened.', "Run 'zonescope ingest CAPTURES' (or analyze) first, or name the store with --db."),
  BASELINE_NOT_A_BASELINE: d('error', 'store', 'The file named as the store is not a zonescope baseline.', 'Name the .db file that ingest or analyze wrote.'),
  BASELINE_SCHEMA_VERSION: d('error', 'store', 'The store was written by another version of zonescope with a schema this one cannot read.', 'Use the zonescope that wrote it, or ingest the captures into a new store.'),
  BASELINE_UNREADABLE: d('error', 'store', 'The store cannot be read or written (permissions, disk, a damaged file).', 'Check the file and its folder; if it is damaged, ingest the captures into a new store.'),
  BASELINE_READ_ONLY: d('error', 'store', 'The store (or its folder) cannot be written, so it cannot be ingested into or migrated.', 'Check the permissions of the file and its folder, or copy the store somewhere writable.'),
  BASELINE_FULL: d('error', 'store', 'The disk holding the store is full; the capture being written was not committed.', 'Free space and run again: committed captures are kept and skipped.'),
  BASELINE_TIME_INVALID: d('warning', 'store', 'The store holds times a date cannot hold (written by a zonescope from before timestamps were checked); the message names the capture and field.', 'Those rows are read with their other time (an hour or day left out); ingest the captures into a new store to be rid of them.'),
  BASELINE_BUSY: d('error', 'store', 'Another process holds the store locked for writing.', 'Wait for the other ingest to finish, or use another --db.'),
  // ---- the ingest pipeline
  PIPELINE_WORKERS_UNAVAILABLE: d('warning', 'pipeline', 'Worker threads could not be used (custom registry, non-file source, missing or failing worker script): the run read in one thread.', 'None for the results (they are the same); reinstall or rebuild (npm run build) if the worker script is missing.'),
  INGEST_LIVE_STATE_CLOSED: d('note', 'pipeline', 'A capture older than the connections carried over from the previous run was ingested: those connections were closed first (they stay counted) and the older capture\'s connections start afresh.', 'None; to have connections that span files counted as one, ingest captures in time order (one run sorts them).'),
  // ---- live capture (zonescope capture)
  LIVE_CAP_UNAVAILABLE: d('error', 'live', 'Live capture needs the optional cap package (libpcap), which is not installed.', 'Install libpcap-dev and run npm install again, or capture with tcpdump and ingest the files.'),
  LIVE_NO_PRIVILEGE: d('error', 'live', 'Capturing on the interface needs privileges this process lacks.', 'Run as root or grant cap_net_raw,cap_net_admin to node.'),
  LIVE_NO_SUCH_INTERFACE: d('error', 'live', 'The interface named does not exist.', "List the interfaces (ip link) and name the SPAN/mirror port's."),
  LIVE_BAD_FILTER: d('error', 'live', 'The BPF filter does not compile.', 'Check the filter with tcpdump -d FILTER.'),
  LIVE_DROPS: d('warning', 'live', 'The interface dropped packets, or did not deliver them to the capture, during a commit interval.', 'Raise --buffer, filter what is not needed (--filter), or lower the rate of the mirror port; the drops are stored with the interval.'),
  LIVE_OPEN_FAILED: d('error', 'live', 'The interface cannot be opened for capture (or has a link type zonescope does not decode).', 'Check the interface and its link type; capture on an Ethernet SPAN port.'),
  LIVE_WRITE_DIR: d('error', 'live', 'The --write folder does not exist or this user cannot create files in it: the capture did not start.', 'Create the folder (mkdir -p DIR) or make it writable, or name another with --write.'),
  LIVE_WRITE_FAILED: d('warning', 'live', 'An evidence file of capture --write could not be written, closed, recorded or deleted (disk full, folder removed, permissions): the file under way keeps what was written, the capture into the baseline goes on, and the next rotation tries a new file.', 'Free space in the folder or lower --keep, and check that the folder exists and is writable; the baseline itself is complete.'),
  LIVE_EVIDENCE: d('note', 'live', 'A rotated pcapng file written by capture --write, recorded in the store with no deltas of its own: its packets are counted in the live intervals, and ingest skips it.', 'None: keep the file as evidence; ingesting it again adds nothing.'),
  LIVE_EVIDENCE_OPEN: d('warning', 'capture', 'An evidence file of capture --write is still being written by a running capture (or that cannot be told without /proc): not ingested, since that capture counts its packets.', 'Ingest it once the capture has rotated it or stopped.'),
  LIVE_EVIDENCE_TAIL: d('note', 'capture', 'An evidence file left open by a capture that stopped abruptly (killed, power loss): only the packets after the offset that capture committed are ingested.', 'None: nothing is counted twice; the packets the capture had not committed are added.'),
  // ---- inventory CSV (name,id,ip,mac,purdue_level,role)
  DNS_TRUNCATED: d('warning', 'dissector', 'A DNS message (also mDNS, LLMNR) ends inside a header, question or record.', PDU_KEPT),
  DNS_BAD_LABEL: d('warning', 'dissector', 'A DNS name has a label type that does not exist.', PDU_KEPT),
  DNS_BAD_POINTER: d('warning', 'dissector', 'A DNS name compression pointer points forward or loops.', PDU_KEPT),
  DNS_NAME_TOO_LONG: d('warning', 'dissector', 'A DNS name is longer than 255 bytes.', PDU_KEPT),
  DNS_TRAILING_BYTES: d('note', 'dissector', 'Bytes follow the last record of a DNS message.', 'None: the records are used.'),
  NBNS_BAD_NAME: d('warning', 'dissector', 'A NetBIOS name is not 32 encoded characters.', PDU_KEPT),
  NBNS_BAD_RDATA: d('warning', 'dissector', 'A NetBIOS name service record has data of the wrong length.', PDU_KEPT),
  DHCP_TRUNCATED: d('warning', 'dissector', 'A DHCP message is shorter than its fixed header.', PDU_KEPT),
  DHCP_BAD_MAGIC_COOKIE: d('warning', 'dissector', 'A BOOTP/DHCP message lacks the DHCP magic cookie.', PDU_KEPT),
  DHCP_BAD_OPTION: d('warning', 'dissector', 'A DHCP option runs past the end of the message.', PDU_KEPT),
  DHCP_NO_END: d('note', 'dissector', 'DHCP options end without the end option.', 'None: the options read are used.'),
  // ---- zones
  ZONES_EMPTY: d('note', 'zones', 'The baseline holds no assets and no flows: nothing to zone.', 'Ingest captures first.'),
  ZONES_NO_FLOWS: d('note', 'zones', 'The baseline holds no flows: every asset gets a zone of its own level, with no conduit.', 'Ingest captures of the traffic between the hosts.'),
  ZONES_ONE_HOST: d('note', 'zones', 'One host: one zone, no conduit.', 'Ingest captures from a port that sees the plant.'),
  ZONES_UNLISTED_HOSTS: d('note', 'zones', 'Flow endpoints that are not assets (broadcast, multicast) are left out of the graph.', 'None.'),
  ZONES_LEVEL_CONTRADICTED: d('warning', 'zones', "An inventory's Purdue level contradicts what the traffic shows; the inventory level is used.", 'Check the inventory row and the evidence shown.'),
  INVENTORY_UNREADABLE: d('error', 'inventory', 'The inventory file cannot be read.', 'Check the path and its permissions.'),
  INVENTORY_TOO_LARGE: d('error', 'inventory', 'The inventory file is larger than zonescope reads.', 'Split it or leave out what is not network equipment.'),
  INVENTORY_EMPTY: d('warning', 'inventory', 'The inventory has no header or no rows.', 'Export the asset list with its header row name,id,ip,mac,purdue_level,role.'),
  INVENTORY_DUPLICATE_COLUMN: d('warning', 'inventory', 'A column appears twice in the header; the first is used.', 'Remove or rename the second one.'),
  INVENTORY_UNKNOWN_COLUMN: d('warning', 'inventory', 'The header has a column zonescope does not know; it is ignored.', 'Rename it to one of name,id,ip,mac,purdue_level,role if it is meant as one.'),
  INVENTORY_MISSING_COLUMN: d('error', 'inventory', 'The header lacks a column every row needs (ip or mac; name or id).', 'Add the column to the export.'),
  INVENTORY_FIELD_COUNT: d('error', 'inventory', 'A row has a different number of fields than the header; it is left out.', 'Quote fields that contain commas.'),
  INVENTORY_MISSING_ID: d('error', 'inventory', 'A row has neither a name nor an id; it is left out.', 'Give the asset a name or an id.'),
  INVENTORY_CONTROL_CHARACTER: d('error', 'inventory', 'A name or id holds control characters; the row is left out.', 'Clean the export (tabs, NULs, escape sequences).'),
  INVENTORY_BAD_IP: d('error', 'inventory', 'An ip field is not an IP address; the row is left out.', 'Correct the address (e.g. 10.20.1.10).'),
  INVENTORY_BAD_CIDR: d('error', 'inventory', 'An ip field with a / is not a valid CIDR; the row is left out.', 'Correct the network (e.g. 10.20.1.0/24).'),
  INVENTORY_BAD_MAC: d('error', 'inventory', 'A mac field is not a MAC address; the row is left out.', 'Write it as 00:1d:9c:c1:00:0a.'),
  INVENTORY_BAD_LEVEL: d('error', 'inventory', 'A purdue_level is not one of 0, 1, 2, 3, 3.5, 4, 5; the row is left out.', 'Correct the level or leave the field empty.'),
  INVENTORY_DUPLICATE_ID: d('error', 'inventory', 'An id is used by an earlier row; this row is left out.', 'Make ids unique.'),
  INVENTORY_DUPLICATE_IP: d('error', 'inventory', 'An IP is used by an earlier row; this row is left out.', 'Keep one row per address (a device with several IPs gets one row per IP with the same name).'),
  INVENTORY_DUPLICATE_MAC: d('error', 'inventory', 'A MAC is used by an earlier row; this row is left out.', 'Keep one row per MAC.'),
  INVENTORY_NO_ADDRESS: d('warning', 'inventory', 'A row has neither ip nor mac: it can be named in a design but never matched to traffic.', 'Add its address if it is on the network.'),
  INVENTORY_UNTERMINATED_QUOTE: d('error', 'inventory', 'A quoted field is never closed; the rest of the file is left out.', 'Close the quote (a quote inside a field is written twice: "").'),
  INVENTORY_BAD_QUOTE: d('error', 'inventory', 'Text follows a closing quote; the row is left out.', 'Quote the whole field, or write a quote inside it twice.'),
  // ---- design (declared in src/design/designCodes.ts with their meaning and fix)
  ...designEntries(),
} as const satisfies Record<string, DiagnosticInfo>;

function designEntries(): { -readonly [K in keyof typeof DESIGN_CODES]: DiagnosticInfo } {
  const out = {} as { -readonly [K in keyof typeof DESIGN_CODES]: DiagnosticInfo };
  for (const [code, info] of Object.entries(DESIGN_CODES) as Array<[keyof typeof DESIGN_CODES, (typeof DESIGN_CODES)[keyof typeof DESIGN_CODES]]>) {
    out[code] = d(info.severity, 'design', `${info.meaning[0]!.toUpperCase()}${info.meaning.slice(1)}.`, `${info.fix[0]!.toUpperCase()}${info.fix.slice(1)}.`);
  }
  return out;
}

/** Every code zonescope reports (the keys of the catalogue). */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CATALOGUE;

export function isDiagnosticCode(code: string): code is DiagnosticCode {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CATALOGUE, code);
}

/** The catalogue entry of a code; undefined for a code that is not declared (e.g. read from an older store). */
export function diagnosticInfo(code: string): DiagnosticInfo | undefined {
  return isDiagnosticCode(code) ? DIAGNOSTIC_CATALOGUE[code] : undefined;
}

const STAGE_TITLES: Record<DiagnosticStage, string> = {
  input: 'Inputs',
  capture: 'Capture files',
  pipeline: 'The ingest pipeline',
  live: 'Live capture',
  frame: 'Frames',
  dissector: 'Protocol dissection',
  inventory: 'Inventory CSV',
  store: 'The baseline store',
  zones: 'Proposed zones',
  design: 'Design documents (diff)',
};

/** The README's list of codes, a Markdown table per stage, in catalogue order. */
export function catalogueMarkdown(): string {
  const out: string[] = [];
  for (const stage of Object.keys(STAGE_TITLES) as DiagnosticStage[]) {
    const codes = (Object.keys(DIAGNOSTIC_CATALOGUE) as DiagnosticCode[]).filter((c) => DIAGNOSTIC_CATALOGUE[c].stage === stage);
    if (codes.length === 0) continue;
    out.push(`#### ${STAGE_TITLES[stage]}`, '', '| code | severity | meaning | what to do |', '|---|---|---|---|');
    for (const c of codes) {
      const i: DiagnosticInfo = DIAGNOSTIC_CATALOGUE[c];
      out.push(`| \`${c}\` | ${i.severity} | ${i.meaning.replace(/\|/g, '\\|')} | ${i.action.replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
