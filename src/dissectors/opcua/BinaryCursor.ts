/**
 * A reusable reader over OPC UA Binary encoded data (OPC 10000-6, 5.2 "OPC UA Binary"), little-endian.
 *
 * One cursor lives in each connection state and is re-pointed at every PDU with reset(): nothing is
 * allocated per PDU. Reads never throw: reading past `end` (or a length field that does not fit) sets
 * `bad` and records the offset in `badAt`; every later read returns 0 and leaves the cursor in place,
 * so a caller can run a sequence of reads and check `bad` once.
 */

/** Bound on DiagnosticInfo nesting (5.2.2.12: InnerDiagnosticInfo is recursive). */
const MAX_DIAGNOSTIC_DEPTH = 8;

/** The buffer of a cursor not pointed at a PDU (shared: nothing allocated per cursor). */
const EMPTY = Buffer.alloc(0);

export class BinaryCursor {
  buf: Buffer = EMPTY;
  pos = 0;
  end = 0;
  /** Set when a read ran past `end` or a field was malformed. */
  bad = false;
  /** Absolute offset in `buf` where the first failed read started. */
  badAt = 0;

  /** Points the cursor at buf[pos, end). Drops the reference with release() after the PDU. */
  reset(buf: Buffer, pos: number, end: number): this {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.bad = false;
    this.badAt = 0;
    return this;
  }

  /** Forgets the buffer so that the connection state keeps no reference to a reused buffer. */
  release(): void {
    this.buf = EMPTY;
    this.pos = 0;
    this.end = 0;
  }

  remaining(): number {
    return this.bad ? 0 : this.end - this.pos;
  }

  private need(n: number): boolean {
    if (this.bad) return false;
    if (n < 0 || this.pos + n > this.end) {
      this.bad = true;
      this.badAt = this.pos;
      return false;
    }
    return true;
  }

  /** Marks the cursor bad at the current position (a malformed value rather than a short buffer). */
  fail(): void {
    if (!this.bad) {
      this.bad = true;
      this.badAt = this.pos;
    }
  }

  u8(): number {
    if (!this.need(1)) return 0;
    return this.buf[this.pos++]!;
  }

  u16(): number {
    if (!this.need(2)) return 0;
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    if (!this.need(4)) return 0;
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i32(): number {
    if (!this.need(4)) return 0;
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  skip(n: number): void {
    if (this.need(n)) this.pos += n;
  }

  /**
   * Length prefix of a String or ByteString (5.2.2.4 / 5.2.2.7): Int32, -1 = null. Returns the byte
   * count (0 for null) and leaves the cursor on the first byte; marks bad if it does not fit.
   */
  private lengthPrefix(): number {
    const n = this.i32();
    if (this.bad) return 0;
    if (n < -1) {
      this.pos -= 4;
      this.fail();
      return 0;
    }
    if (n <= 0) return 0;
    if (this.pos + n > this.end) {
      this.pos -= 4;
      this.fail();
      return 0;
    }
    return n;
  }

  /** Skips a String or ByteString; returns its byte length (0 for null/empty). */
  skipString(): number {
    const n = this.lengthPrefix();
    this.pos += n;
    return n;
  }

  /**
   * Reads a String as UTF-8 (allocates: call only for rare PDUs such as HEL, OPN, CreateSession).
   * Null and empty strings give ''. Longer strings than `max` bytes are cut at `max`.
   */
  string(max = 4096): string {
    const n = this.lengthPrefix();
    if (n === 0) return '';
    const s = this.buf.toString('utf8', this.pos, this.pos + Math.min(n, max));
    this.pos += n;
    return s;
  }

  /**
   * Compares the next String with `ascii` without allocating; consumes it. Returns false for a
   * different, null or malformed string.
   */
  stringEquals(ascii: Uint8Array): boolean {
    const n = this.lengthPrefix();
    if (this.bad) return false;
    const start = this.pos;
    this.pos += n;
    if (n !== ascii.length) return false;
    for (let i = 0; i < n; i++) if (this.buf[start + i] !== ascii[i]) return false;
    return true;
  }

  /**
   * Reads a NodeId or ExpandedNodeId (5.2.2.9 / 5.2.2.10). Returns the numeric identifier for the
   * two-byte, four-byte and numeric encodings and -1 for string, GUID and opaque identifiers; the
   * namespace index is left in `lastNamespace` (0 when a NamespaceUri is given instead).
   */
  nodeId(expanded: boolean): number {
    const enc = this.u8();
    if (this.bad) return -1;
    const form = enc & 0x0f;
    if (!expanded && (enc & 0xc0) !== 0) {
      this.pos--;
      this.fail();
      return -1;
    }
    let id = -1;
    let ns = 0;
    switch (form) {
      case 0x00: // two-byte: namespace 0, identifier 0..255
        id = this.u8();
        break;
      case 0x01: // four-byte: namespace 0..255, identifier 0..65535
        ns = this.u8();
        id = this.u16();
        break;
      case 0x02: // numeric: UInt16 namespace, UInt32 identifier
        ns = this.u16();
        id = this.u32();
        break;
      case 0x03: // string
      case 0x05: // opaque (ByteString)
        ns = this.u16();
        this.skipString();
        break;
      case 0x04: // GUID
        ns = this.u16();
        this.skip(16);
        break;
      default:
        this.pos--;
        this.fail();
        return -1;
    }
    if (expanded) {
      if (enc & 0x80) this.skipString(); // NamespaceUri
      if (enc & 0x40) this.skip(4); // ServerIndex
    }
    this.lastNamespace = ns;
    return this.bad ? -1 : id;
  }

  /** Namespace index of the last nodeId() read. */
  lastNamespace = 0;

  /** Skips a LocalizedText (5.2.2.14); returns nothing. */
  skipLocalizedText(): void {
    const mask = this.u8();
    if (mask & 0x01) this.skipString(); // Locale
    if (mask & 0x02) this.skipString(); // Text
  }

  /** Reads the Text of a LocalizedText (allocates; rare PDUs only). */
  localizedText(max = 4096): string {
    const mask = this.u8();
    if (mask & 0x01) this.skipString();
    return mask & 0x02 ? this.string(max) : '';
  }

  /** Skips a DiagnosticInfo (5.2.2.12), recursive through InnerDiagnosticInfo. */
  skipDiagnosticInfo(depth = 0): void {
    if (depth > MAX_DIAGNOSTIC_DEPTH) {
      this.fail();
      return;
    }
    const mask = this.u8();
    if (mask & 0x01) this.skip(4); // SymbolicId
    if (mask & 0x02) this.skip(4); // NamespaceUri
    if (mask & 0x04) this.skip(4); // LocalizedText
    if (mask & 0x08) this.skip(4); // Locale
    if (mask & 0x10) this.skipString(); // AdditionalInfo
    if (mask & 0x20) this.skip(4); // InnerStatusCode
    if (mask & 0x40) this.skipDiagnosticInfo(depth + 1); // InnerDiagnosticInfo
  }

  /** Skips an ExtensionObject (5.2.2.15): TypeId NodeId, encoding byte, optional Int32-prefixed body. */
  skipExtensionObject(): void {
    this.nodeId(false);
    const enc = this.u8();
    if (enc === 0x01 || enc === 0x02) this.skipString();
    else if (enc !== 0x00) {
      this.pos--;
      this.fail();
    }
  }

  /** Array length (5.2.5): Int32, -1 = null array (returned as 0); marks bad if negative otherwise. */
  arrayLength(): number {
    const n = this.i32();
    if (n < -1) {
      this.pos -= 4;
      this.fail();
      return 0;
    }
    return n < 0 ? 0 : n;
  }

  /** Skips an array of Strings. */
  skipStringArray(): void {
    const n = this.arrayLength();
    for (let i = 0; i < n && !this.bad; i++) this.skipString();
  }

  /** Skips a RequestHeader (OPC 10000-4, 7.32; encoding 10000-6 5.2.6). */
  skipRequestHeader(): void {
    this.nodeId(false); // AuthenticationToken
    this.skip(8); // Timestamp (DateTime)
    this.skip(4); // RequestHandle
    this.skip(4); // ReturnDiagnostics
    this.skipString(); // AuditEntryId
    this.skip(4); // TimeoutHint
    this.skipExtensionObject(); // AdditionalHeader
  }

  /** Skips a ResponseHeader (OPC 10000-4, 7.33): returns the ServiceResult StatusCode. */
  responseHeader(): number {
    this.skip(8); // Timestamp
    this.skip(4); // RequestHandle
    const result = this.u32(); // ServiceResult
    this.skipDiagnosticInfo(); // ServiceDiagnostics
    this.skipStringArray(); // StringTable
    this.skipExtensionObject(); // AdditionalHeader
    return result;
  }
}

