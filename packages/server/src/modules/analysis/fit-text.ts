// A verdict is written once, for its representative line, and reused for every other line of the
// template. The model's text often quotes the representative's values ("worker-17: heap 11MB"); a
// reused text must not put those values on another line's result (an alert for worker-3 read
// "worker-17"). Values are told apart by aligning the two lines token by token: where they differ,
// the representative's value in the text is replaced by the line's own, or by `<*>` when the lines
// do not align.

const SPLIT = /[\s,;:=()[\]{}"'<>|]+/;
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The tokens of a line that can be values: what lies between separators, two characters or more. */
function tokens(message: string): string[] {
  return message.split(SPLIT).filter((t) => t !== '');
}

/** The representative's values that the texts quote (tokens appearing whole); empty when none do. */
export function quotedValues(representative: string, texts: string[]): string[] {
  const joined = texts.join('\n');
  return [...new Set(tokens(representative))].filter((t) => t.length >= 2 && new RegExp(`(?<![\\w.-])${escape(t)}(?![\\w-])`).test(joined));
}

/**
 * Replaces in `text` each quoted value of the representative that this line does not share: by the
 * line's value at the same position when the two lines have as many tokens, else by `<*>`.
 */
export function fitText(text: string, representative: string, line: string, quoted: string[]): string {
  if (quoted.length === 0 || representative === line) return text;
  const rep = tokens(representative);
  const own = tokens(line);
  const ownSet = new Set(own);
  let out = text;
  for (const value of quoted) {
    if (ownSet.has(value)) continue;
    const i = rep.indexOf(value);
    const replacement = rep.length === own.length && i >= 0 ? own[i]! : '<*>';
    out = out.replace(new RegExp(`(?<![\\w.-])${escape(value)}(?![\\w-])`, 'g'), () => replacement);
  }
  return out;
}
