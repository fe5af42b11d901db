/**
 * Every problem the design stage reports, declared once with its severity, a one-line meaning and what
 * to do (after arethetypeswrong's problemKindInfo), so that the CLI, the README and the report list
 * the same catalogue. Errors make the design unusable (exit 2); warnings and notes do not.
 */
import type { Diagnostic, Severity } from '../diagnostics.js';
import type { SourcePos } from './types.js';

export interface DesignCodeInfo {
  severity: Severity;
  meaning: string;
  fix: string;
}

export const DESIGN_CODES = {
  DESIGN_UNREADABLE: { severity: 'error', meaning: 'the design file cannot be read', fix: 'check the path and permissions' },
  DESIGN_TOO_LARGE: { severity: 'error', meaning: 'the document is larger than a design can reasonably be', fix: 'split it or check that the right file is given' },
  DESIGN_YAML_SYNTAX: { severity: 'error', meaning: 'the text is not valid YAML', fix: 'fix the YAML at the position shown' },
  DESIGN_DUPLICATE_KEY: { severity: 'error', meaning: 'a mapping names the same key twice', fix: 'keep one of them' },
  DESIGN_ALIAS_BOMB: { severity: 'error', meaning: 'aliases expand to far more nodes than a design has (a resource-exhaustion attack)', fix: 'write the values out instead of nesting aliases' },
  DESIGN_TOO_DEEP: { severity: 'error', meaning: 'the document nests deeper than any design does', fix: 'flatten it' },
  DESIGN_NOT_A_MAPPING: { severity: 'error', meaning: 'the document (or an entry) is not a mapping of fields', fix: 'write zones: and conduits: at the top level' },
  DESIGN_NO_ZONES: { severity: 'error', meaning: 'the document has no zones list', fix: 'add zones: [...]' },
  DESIGN_MISSING_FIELD: { severity: 'error', meaning: 'a required field is missing', fix: 'add the field' },
  DESIGN_WRONG_TYPE: { severity: 'error', meaning: 'a field has the wrong type (a list where a text is expected ...)', fix: 'write it as the message says' },
  DESIGN_DUPLICATE_ZONE: { severity: 'error', meaning: 'two zones have the same zone_id', fix: 'rename one' },
  DESIGN_DUPLICATE_CONDUIT: { severity: 'error', meaning: 'two conduits have the same conduit_id', fix: 'rename one' },
  DESIGN_UNKNOWN_ZONE: { severity: 'error', meaning: 'a zone reference matches no zone_id (nor a unique prefix of one)', fix: 'use a defined zone_id' },
  DESIGN_AMBIGUOUS_ZONE: { severity: 'error', meaning: 'a zone reference is a prefix of several zone_ids', fix: 'write more of the zone_id' },
  DESIGN_UNKNOWN_CONDUIT: { severity: 'error', meaning: 'allowed_conduits names a conduit that is not defined', fix: 'define the conduit or remove the reference' },
  DESIGN_CONDUIT_UNREFERENCED: { severity: 'warning', meaning: 'a conduit connects a zone whose allowed_conduits does not list it', fix: 'list it in the zone or drop it from connects' },
  DESIGN_CONDUIT_NOT_CONNECTED: { severity: 'warning', meaning: 'a zone lists a conduit that does not connect it', fix: 'add the zone to the conduit\'s connects or drop the reference' },
  DESIGN_BAD_CONNECTS: { severity: 'error', meaning: 'connects must name at least two different zones', fix: 'name the two zones the conduit joins' },
  DESIGN_BAD_PORT: { severity: 'error', meaning: 'a port is not a whole number from 0 to 65535 (or a range of them)', fix: 'write e.g. 502 or 5450-5460' },
  DESIGN_BAD_TRANSPORT: { severity: 'error', meaning: 'transport is not an IP transport (tcp, udp, icmp, ...)', fix: 'write tcp or udp' },
  DESIGN_UNKNOWN_PROTOCOL: { severity: 'error', meaning: 'a protocol name matches no protocol zonescope labels flows with, and no port is given', fix: 'use a known name (modbus, enip, s7comm, opcua, https ...) or give the port' },
  DESIGN_PROTOCOL_BY_PORT: { severity: 'warning', meaning: 'a protocol name is unknown; the rule matches by port and transport only', fix: 'use a known protocol name to check the protocol too' },
  DESIGN_BAD_DIRECTION: { severity: 'error', meaning: 'a direction is not of the form "INITIATOR -> RESPONDER (notes)"', fix: 'write e.g. "Z3 -> Z2 (read only)"' },
  DESIGN_DIRECTION_NOT_CONNECTED: { severity: 'error', meaning: 'a direction names a zone the conduit does not connect', fix: 'name one of the conduit\'s zones' },
  DESIGN_DIRECTION_CONFLICT: { severity: 'error', meaning: 'the direction text and the structured initiator disagree', fix: 'make them agree or keep one' },
  DESIGN_UNKNOWN_OPERATION: { severity: 'error', meaning: 'operations names something that is not an operation class', fix: 'use read, write, program, control, diagnostic, session, io' },
  DESIGN_BAD_FUNCTION_CODE: { severity: 'error', meaning: 'a function code is not a whole number from 0 to 65535', fix: 'write e.g. [3, 4]' },
  DESIGN_BAD_ADDRESS: { severity: 'error', meaning: 'an asset entry looks like an IP, CIDR or MAC address but is not a valid one', fix: 'correct the address' },
  DESIGN_BAD_PURDUE_LEVEL: { severity: 'error', meaning: 'purdue_level is not a level 0-5 (3.5 for the DMZ) or a range like "1-2"', fix: 'write e.g. 1, 3.5 or "1-2"' },
  DESIGN_ASSET_IN_TWO_ZONES: { severity: 'error', meaning: 'the same asset is in two zones at the same specificity', fix: 'keep it in one zone, or use a more specific entry (an IP beats a CIDR)' },
  DESIGN_UNRESOLVED_ASSET: { severity: 'warning', meaning: 'an asset entry resolves to no address (not an IP, CIDR, MAC, nor an inventory name or id)', fix: 'give the inventory (--inventory) or write the address' },
  DESIGN_EMPTY_ZONE: { severity: 'warning', meaning: 'a zone resolves to no asset', fix: 'check its asset entries' },
  DESIGN_RESTRICTION_NOT_CHECKED: { severity: 'note', meaning: 'a restriction is kept but not machine-checked', fix: 'check it by other means (firewall configuration review)' },
  DESIGN_UNIDIRECTIONAL_TCP: { severity: 'note', meaning: 'that no payload flows back on a unidirectional conduit cannot be checked on TCP; only who initiates is', fix: 'verify the data diode by other means' },
  DESIGN_ZONE_CONFLICT: { severity: 'warning', meaning: 'an observed host is in two zones at the same specificity through its MAC and its IP', fix: 'keep the host in one zone' },
  DESIGN_SAFETY_SHARED_ZONE: { severity: 'warning', meaning: 'safety assets share a zone with non-safety assets', fix: 'put the safety system in a zone of its own (IEC 62443-3-2 ZCR 3.3)' },
  DESIGN_SAFETY_REACHABLE: { severity: 'warning', meaning: 'a zone holding safety assets is reachable through a conduit', fix: 'make sure the conduit is needed and tightly restricted' },
  DESIGN_ZONE_TOO_LARGE: { severity: 'warning', meaning: 'a zone holds more assets than the size limit', fix: 'split it' },
  DESIGN_WRITE_INTO_CONTROL: { severity: 'warning', meaning: 'a conduit allows writes or programming into a control zone from a higher level', fix: 'restrict the rule to read only, or initiate from the control side' },
  DESIGN_DMZ_BYPASS: { severity: 'warning', meaning: 'a conduit joins zones on both sides of the DMZ directly', fix: 'route the traffic through the DMZ' },
  DESIGN_DMZ_PASS_THROUGH: { severity: 'note', meaning: 'the same protocol is allowed into the DMZ from one side and out of it to the other: traffic may cross without terminating there', fix: 'make sure it terminates in the DMZ (proxy, replica)' },
} as const satisfies Record<string, DesignCodeInfo>;

export type DesignCode = keyof typeof DESIGN_CODES;

/** A diagnostic of the catalogue at a source position. */
export function designDiagnostic(code: DesignCode, message: string, pos: SourcePos | { file: string }): Diagnostic {
  const d: Diagnostic = { code, severity: DESIGN_CODES[code].severity, message, file: pos.file };
  if ('line' in pos) {
    d.line = pos.line;
    d.column = pos.column;
    if (pos.path) d.path = pos.path;
  }
  return d;
}
