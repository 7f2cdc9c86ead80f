/**
 * Regular expressions from rules run against attacker-controlled log text, so they are matched by a
 * small Thompson-NFA matcher that takes time linear in the text, never by the backtracking engine:
 * even a pattern as plain as `\w+\d+x` is cubic there and would stall the alert engine on one line.
 * The accepted syntax is a subset of JavaScript's; anything outside it is refused with a reason.
 */

export const MAX_PATTERN_LENGTH = 256;
/** Only this much of a message is matched; a stack trace's head carries the words rules look for. */
export const MAX_MATCHED_CHARS = 4096;
const MAX_REPEAT = 100;
const MAX_PROGRAM = 2000;

type Test = (c: number) => boolean;
type Node =
  | { t: 'char'; test: Test }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number }
  | { t: 'assert'; kind: 'bol' | 'eol' | 'word' | 'nonword' };

type Inst =
  | { op: 'char'; test: Test }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'assert'; kind: 'bol' | 'eol' | 'word' | 'nonword' }
  | { op: 'match' };

/** Thrown for a pattern LogSage refuses; the message says what to change. */
export class UnsafePattern extends Error {}

const code = (s: string): number => s.charCodeAt(0);
const isDigit: Test = (c) => c >= 48 && c <= 57;
const isWord: Test = (c) => isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: Test = (c) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x3000;
const not = (t: Test): Test => (c) => !t(c);
const CLASS_ESCAPES: Record<string, Test> = { d: isDigit, D: not(isDigit), w: isWord, W: not(isWord), s: isSpace, S: not(isSpace) };
const CONTROL: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, '0': 0 };

class Parser {
  i = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    throw new UnsafePattern(`${what} (at position ${this.i})`);
  }

  parseAlt(): Node {
    const options = [this.parseSeq()];
    while (this.src[this.i] === '|') {
      this.i++;
      options.push(this.parseSeq());
    }
    return options.length === 1 ? options[0]! : { t: 'alt', options };
  }

  parseSeq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      items.push(this.parseQuantified(this.parseAtom()));
    }
    return { t: 'seq', items };
  }

  parseQuantified(atom: Node): Node {
    const q = this.readQuantifier();
    if (!q) return atom;
    if (this.src[this.i] === '?') this.i++; // lazy and greedy match the same set of texts
    if (atom.t === 'assert') this.fail('an anchor cannot be repeated');
    if (containsRepetition(atom)) this.fail('nested quantifiers such as (a+)+ are refused; repeat a single item instead');
    if (this.readQuantifier(true)) this.fail('two quantifiers in a row');
    return { t: 'rep', node: atom, min: q.min, max: q.max };
  }

  readQuantifier(peekOnly = false): { min: number; max: number } | undefined {
    const ch = this.src[this.i];
    if (ch === '*' || ch === '+' || ch === '?') {
      if (!peekOnly) this.i++;
      return { min: ch === '+' ? 1 : 0, max: ch === '?' ? 1 : Infinity };
    }
    const m = ch === '{' ? /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i)) : null;
    if (!m) return undefined;
    if (!peekOnly) this.i += m[0].length;
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) this.fail(`counted repetition above ${MAX_REPEAT}; use + or * instead`);
    return { min, max };
  }

  parseAtom(): Node {
    const ch = this.src[this.i++]!;
    if (ch === '(') return this.parseGroup();
    if (ch === '[') return { t: 'char', test: this.parseClass() };
    if (ch === '.') return { t: 'char', test: (c) => c !== 10 && c !== 13 && c !== 0x2028 && c !== 0x2029 };
    if (ch === '^') return { t: 'assert', kind: 'bol' };
    if (ch === '$') return { t: 'assert', kind: 'eol' };
    if (ch === '\\') return this.parseEscape(false) as Node;
    if ('*+?{'.includes(ch)) this.fail('a quantifier needs something to repeat');
    const c = code(ch);
    return { t: 'char', test: (x) => x === c };
  }

  parseGroup(): Node {
    if (this.src.startsWith('?=', this.i) || this.src.startsWith('?!', this.i) || this.src.startsWith('?<=', this.i) || this.src.startsWith('?<!', this.i)) {
      this.fail('lookarounds ((?=, (?!, (?<=, (?<!) are refused; match the text itself instead');
    }
    if (this.src.startsWith('?:', this.i)) this.i += 2;
    else if (this.src.startsWith('?<', this.i)) {
      const end = this.src.indexOf('>', this.i);
      if (end < 0) this.fail('unterminated group name');
      this.i = end + 1;
    } else if (this.src[this.i] === '?') this.fail('unsupported group syntax');
    const inner = this.parseAlt();
    if (this.src[this.i] !== ')') this.fail('missing )');
    this.i++;
    return inner;
  }

  /** Reads the escape after a backslash; inside a class `\b` is a backspace and assertions are impossible. */
  parseEscape(inClass: boolean): Node | Test {
    const ch = this.src[this.i++];
    if (ch === undefined) this.fail('the pattern ends with a lone backslash');
    if (/[1-9]/.test(ch) || ch === 'k') this.fail('backreferences (\\1, \\k<name>) are refused');
    if (CLASS_ESCAPES[ch]) return inClass ? CLASS_ESCAPES[ch] : { t: 'char', test: CLASS_ESCAPES[ch] };
    if (!inClass && (ch === 'b' || ch === 'B')) return { t: 'assert', kind: ch === 'b' ? 'word' : 'nonword' };
    let c: number;
    if (ch in CONTROL) c = CONTROL[ch]!;
    else if (inClass && ch === 'b') c = 8;
    else if (ch === 'x' || ch === 'u') {
      const len = ch === 'x' ? 2 : 4;
      const hex = this.src.slice(this.i, this.i + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(hex)) this.fail(`\\${ch} needs ${len} hex digits`);
      this.i += len;
      c = parseInt(hex, 16);
    } else if (/[A-Za-z]/.test(ch)) this.fail(`unsupported escape \\${ch}`);
    else c = code(ch);
    const v = c;
    return inClass ? (x: number) => x === v : { t: 'char', test: (x) => x === v };
  }

  parseClass(): Test {
    const negate = this.src[this.i] === '^';
    if (negate) this.i++;
    const parts: Test[] = [];
    while (this.src[this.i] !== ']') {
      if (this.i >= this.src.length) this.fail('missing ]');
      const lo = this.classAtom();
      if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && typeof lo === 'number') {
        this.i++;
        const hi = this.classAtom();
        if (typeof hi !== 'number' || hi < lo) this.fail('bad range in a character class');
        parts.push((c) => c >= lo && c <= hi);
      } else parts.push(typeof lo === 'number' ? (c) => c === lo : lo);
    }
    this.i++;
    const any: Test = (c) => parts.some((p) => p(c));
    return negate ? not(any) : any;
  }

  /** One class member: a code unit (usable as a range end) or a class escape such as \d. */
  classAtom(): number | Test {
    const ch = this.src[this.i++]!;
    if (ch !== '\\') return code(ch);
    const start = this.i;
    const t = this.parseEscape(true) as Test;
    const esc = this.src.slice(start, this.i);
    return CLASS_ESCAPES[esc] ? t : literalOf(esc);
  }
}

function literalOf(esc: string): number {
  if (esc in CONTROL) return CONTROL[esc]!;
  if (esc === 'b') return 8;
  if (esc[0] === 'x' || esc[0] === 'u') return parseInt(esc.slice(1), 16);
  return code(esc);
}

function containsRepetition(n: Node): boolean {
  if (n.t === 'rep') return true;
  if (n.t === 'seq') return n.items.some(containsRepetition);
  if (n.t === 'alt') return n.options.some(containsRepetition);
  return false;
}

function emit(n: Node, prog: Inst[]): void {
  if (prog.length > MAX_PROGRAM) throw new UnsafePattern('the pattern is too large once repetitions are expanded; shorten it or lower {n,m}');
  if (n.t === 'char') prog.push({ op: 'char', test: n.test });
  else if (n.t === 'assert') prog.push({ op: 'assert', kind: n.kind });
  else if (n.t === 'seq') for (const it of n.items) emit(it, prog);
  else if (n.t === 'alt') {
    const jumps: Inst[] = [];
    n.options.forEach((opt, k) => {
      const last = k === n.options.length - 1;
      const split: Inst = { op: 'split', x: prog.length + 1, y: 0 };
      if (!last) prog.push(split);
      emit(opt, prog);
      if (!last) {
        const j: Inst = { op: 'jmp', x: 0 };
        jumps.push(j);
        prog.push(j);
        (split as { y: number }).y = prog.length;
      }
    });
    for (const j of jumps) (j as { x: number }).x = prog.length;
  } else emitRep(n, prog);
}

function emitRep(n: Extract<Node, { t: 'rep' }>, prog: Inst[]): void {
  for (let k = 0; k < n.min; k++) emit(n.node, prog);
  if (n.max === Infinity) {
    const split: Inst = { op: 'split', x: prog.length + 1, y: 0 };
    const loop = prog.length;
    prog.push(split);
    emit(n.node, prog);
    prog.push({ op: 'jmp', x: loop });
    (split as { y: number }).y = prog.length;
    return;
  }
  const splits: Inst[] = [];
  for (let k = n.min; k < n.max; k++) {
    const split: Inst = { op: 'split', x: prog.length + 1, y: 0 };
    splits.push(split);
    prog.push(split);
    emit(n.node, prog);
  }
  for (const s of splits) (s as { y: number }).y = prog.length;
}

/** A compiled rule pattern: `test` runs in time linear in the (capped) text. */
export interface SafeRegex {
  source: string;
  test(text: string): boolean;
}

/** Checks and compiles a rule pattern; throws UnsafePattern saying what to change. */
export function compileSafeRegex(source: string, ignoreCase = false): SafeRegex {
  if (source.length === 0) throw new UnsafePattern('the pattern is empty');
  if (source.length > MAX_PATTERN_LENGTH) throw new UnsafePattern(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters; shorten it`);
  try {
    new RegExp(source);
  } catch (err) {
    throw new UnsafePattern(`not a valid regular expression: ${(err as Error).message}`);
  }
  const p = new Parser(source);
  const ast = p.parseAlt();
  if (p.i < source.length) p.fail('unbalanced )');
  const prog: Inst[] = [];
  emit(ast, prog);
  prog.push({ op: 'match' });
  if (prog.length > MAX_PROGRAM) throw new UnsafePattern('the pattern is too large once repetitions are expanded; shorten it or lower {n,m}');
  return { source, test: (text) => run(prog, ignoreCase ? text.toLowerCase() : text, ignoreCase) };
}

function run(prog: Inst[], raw: string, ignoreCase: boolean): boolean {
  const text = raw.length > MAX_MATCHED_CHARS ? raw.slice(0, MAX_MATCHED_CHARS) : raw;
  const marks = new Int32Array(prog.length).fill(-1);
  let clist: number[] = [];
  let nlist: number[] = [];
  const wordAt = (i: number): boolean => i >= 0 && i < text.length && isWord(text.charCodeAt(i));
  // Follows jumps, splits and assertions at position i; true when the match state is reachable.
  const add = (list: number[], pc: number, i: number): boolean => {
    if (marks[pc] === i) return false;
    marks[pc] = i;
    const inst = prog[pc]!;
    if (inst.op === 'match') return true;
    if (inst.op === 'jmp') return add(list, inst.x, i);
    if (inst.op === 'split') return add(list, inst.x, i) || add(list, inst.y, i);
    if (inst.op === 'assert') {
      const ok = inst.kind === 'bol' ? i === 0 : inst.kind === 'eol' ? i === text.length : (wordAt(i - 1) !== wordAt(i)) === (inst.kind === 'word');
      return ok && add(list, pc + 1, i);
    }
    list.push(pc);
    return false;
  };
  for (let i = 0; i <= text.length; i++) {
    if (add(clist, 0, i)) return true; // unanchored: a new attempt starts at every position
    if (i === text.length) break;
    const c = text.charCodeAt(i);
    const upper = ignoreCase ? String.fromCharCode(c).toUpperCase().charCodeAt(0) : c;
    for (const pc of clist) {
      const inst = prog[pc] as Extract<Inst, { op: 'char' }>;
      if ((inst.test(c) || (upper !== c && inst.test(upper))) && add(nlist, pc + 1, i + 1)) return true;
    }
    [clist, nlist] = [nlist, []];
  }
  return false;
}
