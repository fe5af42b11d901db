/**
 * A small table of CIP vendor ids (ODVA vendor id list, as Wireshark 4.0 names them in
 * `enip.lir.vendor`) and device types (Vol. 1 table 6-7.1 "Device profiles", Wireshark's
 * cip_devtype_vals), for identity evidence. Only the vendors common in plants are listed; the
 * numeric id is always reported too. 1251 (Siemens AG) is newer than Wireshark 4.0's list; it is
 * the id Siemens SINAMICS manuals give for their Identity object.
 */
const VENDORS = new Map<number, string>([
  [1, 'Rockwell Automation/Allen-Bradley'],
  [3, 'Honeywell Inc.'],
  [5, 'Rockwell Automation/Reliance Elec.'],
  [8, 'Molex Incorporated'],
  [12, 'Banner Engineering Corp.'],
  [26, 'Festo Corporation'],
  [40, 'Wago Corporation'],
  [44, 'Yaskawa Electric America, Inc.'],
  [46, 'ABB Industrial Systems'],
  [47, 'Omron Corporation'],
  [48, 'TURCk, Inc.'],
  [57, 'Pepperl + Fuchs'],
  [68, 'Eaton Electrical'],
  [82, 'Mitsubishi Electric Automation, Inc.'],
  [83, 'OPTO-22'],
  [90, 'HMS Industrial Networks AB'],
  [108, 'Beckhoff Automation GmbH'],
  [145, 'Siemens Energy & Automation/Drives'],
  [161, 'Mitsubishi Electric Corporation'],
  [176, 'Red Lion Controls'],
  [243, 'Schneider Automation, Inc.'],
  [250, 'Yokogawa Electric Corporation'],
  [283, 'Hilscher GmbH'],
  [309, 'Prosoft Technology'],
  [326, 'GE Fanuc Automation North America, Inc.'],
  [356, 'Fanuc Robotics America'],
  [367, 'Keyence Corporation'],
  [445, 'Lenze Drive Systems GmbH'],
  [562, 'Phoenix Contact'],
  [640, 'Murrelektronik GmbH'],
  [660, 'Automationdirect.com'],
  [678, 'Cognex Corporation'],
  [796, 'Siemens Energy & Automation, Inc.'],
  [808, 'SICK AG'],
  [887, 'B&R Industrial Automation GmbH'],
  [939, 'Cisco Systems'],
  [991, 'Moxa Networking Co., Ltd.'],
  [1251, 'Siemens AG'],
]);

const DEVICE_TYPES = new Map<number, string>([
  [0, 'Generic Device (deprecated)'],
  [2, 'AC Drive'],
  [3, 'Motor Overload'],
  [4, 'Limit Switch'],
  [5, 'Inductive Proximity Switch'],
  [6, 'Photoelectric Sensor'],
  [7, 'General Purpose Discrete I/O'],
  [9, 'Resolver'],
  [12, 'Communications Adapter'],
  [14, 'Programmable Logic Controller'],
  [16, 'Position Controller'],
  [19, 'DC Drive'],
  [21, 'Contactor'],
  [22, 'Motor Starter'],
  [23, 'Soft Start'],
  [24, 'Human-Machine Interface'],
  [26, 'Mass Flow Controller'],
  [27, 'Pneumatic Valve'],
  [28, 'Vacuum Pressure Gauge'],
  [29, 'Process Control Value'],
  [30, 'Residual Gas Analyzer'],
  [31, 'DC Power Generator'],
  [32, 'RF Power Generator'],
  [33, 'Turbomolecular Vacuum Pump'],
  [34, 'Encoder'],
  [35, 'Safety Discrete I/O Device'],
  [36, 'Fluid Flow Controller'],
  [37, 'CIP Motion Drive'],
  [38, 'CompoNet Repeater'],
  [39, 'Mass Flow Controller, Enhanced'],
  [40, 'CIP Modbus Device'],
  [41, 'CIP Modbus Translator'],
  [42, 'Safety Analog I/O Device'],
  [43, 'Generic Device (keyable)'],
  [44, 'Managed Ethernet Switch'],
  [45, 'CIP Motion Safety Drive Device'],
  [46, 'Safety Drive Device'],
  [47, 'CIP Motion Encoder'],
  [48, 'CIP Motion Converter'],
  [49, 'CIP Motion I/O'],
  [50, 'ControlNet Physical Layer Component'],
  [51, 'Circuit Breaker'],
  [52, 'HART Device'],
  [53, 'CIP-HART Translator'],
  [200, 'Embedded Component'],
]);

/** The vendor's name for a CIP vendor id, or undefined when not in the small table. */
export function vendorName(vendorId: number): string | undefined {
  return VENDORS.get(vendorId);
}

/** The device profile name for a CIP device type, or undefined. */
export function deviceTypeName(deviceType: number): string | undefined {
  return DEVICE_TYPES.get(deviceType);
}

/** Every vendor id in the table (for tests against tshark's names). */
export function knownVendorIds(): number[] {
  return [...VENDORS.keys()];
}
