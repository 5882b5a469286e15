// Splits a syslog TCP/TLS byte stream into messages (RFC 6587). Senders mix the two framings
// in the wild, so the mode is chosen per frame: a frame that opens with a length (a non-zero
// digit, more digits, a space) is octet-counted, anything else runs to the next LF, CRLF or NUL
// (non-transparent framing; NUL because some appliances terminate with it).
// Memory is bounded by maxFrameBytes whatever arrives: an oversized frame is cut, reported and
// the rest of it skipped (by its count, or up to the next delimiter).

export interface DeframerOptions {
  /** Largest message kept; longer ones are cut to this many bytes and reported. */
  maxFrameBytes: number;
}

export interface DeframeResult {
  frames: Buffer[];
  errors: string[];
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SPACE = 0x20;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
/** 10 digits hold every length a sender could mean; more is not a length. */
const MAX_LENGTH_DIGITS = 10;

type State =
  | { kind: 'start' }
  | { kind: 'length'; digits: string }
  | { kind: 'counted'; remaining: number; declared: number }
  | { kind: 'skip-counted'; remaining: number }
  | { kind: 'line' }
  | { kind: 'discard-line' };

const isDigit = (b: number): boolean => b >= DIGIT_0 && b <= DIGIT_9;
const isDelimiter = (b: number): boolean => b === LF || b === NUL;

export class SyslogDeframer {
  private readonly max: number;
  private state: State = { kind: 'start' };
  /** Bytes of the frame being assembled (copies, never views of a caller's chunk). */
  private parts: Buffer[] = [];
  private size = 0;

  constructor(opts: DeframerOptions) {
    if (!Number.isSafeInteger(opts.maxFrameBytes) || opts.maxFrameBytes < 1) {
      throw new RangeError(`maxFrameBytes must be a positive integer, got ${String(opts.maxFrameBytes)}`);
    }
    this.max = opts.maxFrameBytes;
  }

  push(chunk: Buffer): DeframeResult {
    const out: DeframeResult = { frames: [], errors: [] };
    let i = 0;
    while (i < chunk.length) i = this.step(chunk, i, out);
    return out;
  }

  /** The stream has closed: a last line without its delimiter is still a message. */
  end(): DeframeResult {
    const out: DeframeResult = { frames: [], errors: [] };
    const state = this.state;
    switch (state.kind) {
      case 'length':
        // Digits alone never became a length: they are the start of a line.
        this.append(Buffer.from(state.digits, 'latin1'), this.max + 1);
        this.finishLine(out);
        break;
      case 'line':
        this.finishLine(out);
        break;
      case 'counted':
        out.errors.push(`stream ended inside an octet-counted frame: ${state.declared - state.remaining} of ${state.declared} bytes arrived; the partial message was dropped`);
        break;
      case 'skip-counted':
      case 'discard-line':
      case 'start':
        break;
    }
    this.reset();
    return out;
  }

  /** Consumes bytes from chunk[i..] for the current state; returns the next index. */
  private step(chunk: Buffer, i: number, out: DeframeResult): number {
    const state = this.state;
    switch (state.kind) {
      case 'start': {
        const b = chunk[i]!;
        // Stray delimiters between frames (an octet-counting sender that also adds LF).
        if (isDelimiter(b) || b === CR) return i + 1;
        if (b > DIGIT_0 && b <= DIGIT_9) {
          this.state = { kind: 'length', digits: String.fromCharCode(b) };
          return i + 1;
        }
        this.state = { kind: 'line' };
        return i;
      }
      case 'length': {
        const b = chunk[i]!;
        if (b === SPACE) {
          const declared = Number(state.digits);
          this.state = { kind: 'counted', remaining: declared, declared };
          return i + 1;
        }
        if (isDigit(b) && state.digits.length < MAX_LENGTH_DIGITS) {
          state.digits += String.fromCharCode(b);
          return i + 1;
        }
        // Not a length after all: the digits open a non-transparent frame.
        this.state = { kind: 'line' };
        this.append(Buffer.from(state.digits, 'latin1'), this.max + 1);
        return i;
      }
      case 'counted': {
        const take = Math.min(state.remaining, chunk.length - i);
        const room = this.max - this.size;
        this.append(chunk.subarray(i, i + Math.min(take, room)), this.max);
        state.remaining -= take;
        if (state.declared > this.max && this.size >= this.max) {
          out.errors.push(`octet-counted frame of ${state.declared} bytes exceeds the ${this.max}-byte limit; cut to ${this.max} bytes`);
          this.emit(out);
          this.state = state.remaining > 0 ? { kind: 'skip-counted', remaining: state.remaining } : { kind: 'start' };
        } else if (state.remaining === 0) {
          this.emit(out);
          this.state = { kind: 'start' };
        }
        return i + take;
      }
      case 'skip-counted': {
        const take = Math.min(state.remaining, chunk.length - i);
        state.remaining -= take;
        if (state.remaining === 0) this.state = { kind: 'start' };
        return i + take;
      }
      case 'line': {
        const end = findDelimiter(chunk, i);
        const stop = end === -1 ? chunk.length : end;
        // One byte over the limit is held back: it may be the CR of a CRLF.
        const limit = this.max + 1;
        const room = limit - this.size;
        if (stop - i > room) {
          this.append(chunk.subarray(i, i + room), limit);
          this.cutLine(out);
          this.state = { kind: 'discard-line' };
          return i + room;
        }
        this.append(chunk.subarray(i, stop), limit);
        if (end === -1) return chunk.length;
        this.finishLine(out);
        this.state = { kind: 'start' };
        return end + 1;
      }
      case 'discard-line': {
        const end = findDelimiter(chunk, i);
        if (end === -1) return chunk.length;
        this.state = { kind: 'start' };
        return end + 1;
      }
    }
  }

  private append(bytes: Buffer, limit: number): void {
    const n = Math.min(bytes.length, limit - this.size);
    if (n <= 0) return;
    this.parts.push(Buffer.from(bytes.subarray(0, n)));
    this.size += n;
  }

  /** A line reached its delimiter (or the stream its end). */
  private finishLine(out: DeframeResult): void {
    let frame = Buffer.concat(this.parts, this.size);
    if (frame.length > 0 && frame[frame.length - 1] === CR) frame = frame.subarray(0, frame.length - 1);
    if (frame.length > this.max) {
      out.errors.push(`frame exceeds the ${this.max}-byte limit; cut to ${this.max} bytes`);
      frame = frame.subarray(0, this.max);
    }
    if (frame.length > 0) out.frames.push(frame);
    this.parts = [];
    this.size = 0;
  }

  /** A line outgrew the limit before its delimiter: keep its head, drop the rest. */
  private cutLine(out: DeframeResult): void {
    out.errors.push(`frame exceeds the ${this.max}-byte limit before its delimiter; cut to ${this.max} bytes, the rest skipped up to the next delimiter`);
    const frame = Buffer.concat(this.parts, this.size).subarray(0, this.max);
    out.frames.push(frame);
    this.parts = [];
    this.size = 0;
  }

  private emit(out: DeframeResult): void {
    const frame = Buffer.concat(this.parts, this.size);
    if (frame.length > 0) out.frames.push(frame);
    this.parts = [];
    this.size = 0;
  }

  private reset(): void {
    this.state = { kind: 'start' };
    this.parts = [];
    this.size = 0;
  }
}

function findDelimiter(chunk: Buffer, from: number): number {
  const lf = chunk.indexOf(LF, from);
  const nul = chunk.indexOf(NUL, from);
  if (lf === -1) return nul;
  if (nul === -1) return lf;
  return Math.min(lf, nul);
}
