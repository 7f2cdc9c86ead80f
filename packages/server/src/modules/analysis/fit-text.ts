// A verdict is written once, for its representative line, and reused for every other line of the
// template. The model's text often quotes the representative's values ("worker-17: heap 11MB"); a
// reused text must not put those values on another line's result (an alert for worker-3 read
// "worker-17"). Values are told apart by aligning the two lines token by token: where they differ,
// the representative's value in the text is replaced by the line's own, or by `<*>` when the lines
// do not align.

const SPLIT = /[\s,;:=()[\]{}"'<>|]+/;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Finds `value` quoted whole in a text: not inside a longer word, name, number or path. */
const quotedPattern = (value: string, flags = ''): RegExp => new RegExp(`(?<![\\w.-])${escape(value)}(?![\\w-])`, flags);

/** The tokens of a line that can be values: what lies between separators, two characters or more. */
function tokens(message: string): string[] {
  return message.split(SPLIT).filter((t) => t !== '');
}

/** The representative's values that the texts quote (tokens appearing whole); empty when none do. */
export function quotedValues(representative: string, texts: string[]): string[] {
  const joined = texts.join('\n');
  return [...new Set(tokens(representative))].filter((t) => t.length >= 2 && quotedPattern(t).test(joined));
}

/** A quoted value of the representative: where it stands among its tokens, and how it is found in a text. */
interface Quoted { value: string; at: number; pattern: RegExp }

/**
 * Prepares the fitting of one verdict's texts to the other lines of its template: the
 * representative is tokenised and each quoted value's pattern compiled once, not once per line and
 * text (a verdict's waiting lines number in the thousands). The returned function takes a line and
 * gives the function that fits a text to it.
 */
export function textFitter(representative: string, quoted: string[]): (line: string) => (text: string) => string {
  const rep = tokens(representative);
  const values: Quoted[] = quoted.map((value) => ({ value, at: rep.indexOf(value), pattern: quotedPattern(value, 'g') }));
  return (line) => {
    if (values.length === 0 || representative === line) return (text) => text;
    const own = tokens(line);
    const ownSet = new Set(own);
    const aligned = rep.length === own.length;
    // Each value this line does not share, with what replaces it: the line's own token at the same
    // position when the two lines align, else `<*>`.
    const swaps = values.filter((q) => !ownSet.has(q.value)).map((q) => ({ pattern: q.pattern, by: aligned && q.at >= 0 ? own[q.at]! : '<*>' }));
    return (text) => swaps.reduce((out, s) => out.replace(s.pattern, () => s.by), text);
  };
}

/**
 * Replaces in `text` each quoted value of the representative that this line does not share: by the
 * line's value at the same position when the two lines have as many tokens, else by `<*>`.
 */
export function fitText(text: string, representative: string, line: string, quoted: string[]): string {
  return textFitter(representative, quoted)(line)(text);
}
