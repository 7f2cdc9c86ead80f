/**
 * Cuts a TCP syslog stream into messages (RFC 6587). The first byte of a connection decides:
 * a digit means octet counting ("LEN SP MSG"), anything else LF-terminated lines.
 */
export class SyslogFramer {
  private mode: 'octet' | 'lf' | undefined;
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized message still to skip (octet counting) or skip-to-newline (LF). */
  private skip = 0;
  private skipLine = false;

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onFrame: (frame: Buffer) => void,
    /** A frame too long to keep, or a stream that cannot be framed: what and how many bytes. */
    private readonly onBad: (reason: 'too_long' | 'bad_frame') => void,
  ) {}

  /** Feeds received bytes; calls onFrame for each complete message. Returns false when the stream cannot be framed. */
  push(chunk: Buffer): boolean {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    if (this.mode === undefined && this.buf.length > 0) this.mode = this.buf[0]! >= 0x30 && this.buf[0]! <= 0x39 ? 'octet' : 'lf';
    return this.mode === 'octet' ? this.octets() : (this.lines(), true);
  }

  /** What is left when the peer closes: an LF-framed last line without its newline is still a message. */
  end(): void {
    if (this.mode === 'lf' && this.buf.length > 0 && !this.skipLine) this.emit(this.buf);
    this.buf = Buffer.alloc(0);
  }

  private octets(): boolean {
    for (;;) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, this.buf.length);
        this.skip -= n;
        this.buf = this.buf.subarray(n);
        if (this.skip > 0) return true;
      }
      // Some senders end each counted frame with a stray newline as well; it belongs to no frame.
      let lead = 0;
      while (lead < this.buf.length && (this.buf[lead] === 0x0a || this.buf[lead] === 0x0d)) lead++;
      if (lead > 0) this.buf = this.buf.subarray(lead);
      const sp = this.buf.indexOf(0x20);
      if (sp < 0) {
        if (this.buf.length > 10) return this.bad();
        return true;
      }
      const len = /^[1-9]\d{0,9}$/.test(this.buf.toString('latin1', 0, sp)) ? Number(this.buf.toString('latin1', 0, sp)) : NaN;
      if (!Number.isFinite(len)) return this.bad();
      if (len > this.maxFrameBytes) {
        this.onBad('too_long');
        this.skip = len;
        this.buf = this.buf.subarray(sp + 1);
        continue;
      }
      if (this.buf.length < sp + 1 + len) return true;
      this.emit(this.buf.subarray(sp + 1, sp + 1 + len));
      this.buf = this.buf.subarray(sp + 1 + len);
    }
  }

  private lines(): void {
    let nl: number;
    while ((nl = this.buf.indexOf(0x0a)) >= 0) {
      const line = this.buf.subarray(0, nl);
      this.buf = this.buf.subarray(nl + 1);
      if (this.skipLine) this.skipLine = false;
      else this.emit(line);
    }
    if (this.buf.length > this.maxFrameBytes) {
      // One line longer than any message we keep: dropped whole, up to its newline.
      if (!this.skipLine) this.onBad('too_long');
      this.skipLine = true;
      this.buf = Buffer.alloc(0);
    }
  }

  private bad(): boolean {
    this.onBad('bad_frame');
    this.buf = Buffer.alloc(0);
    return false;
  }

  private emit(frame: Buffer): void {
    const end = frame.length > 0 && frame[frame.length - 1] === 0x0d ? frame.length - 1 : frame.length;
    // A copy: the frame must not pin the whole receive buffer while it waits in a batch.
    if (end > 0) this.onFrame(Buffer.from(frame.subarray(0, end)));
  }
}
