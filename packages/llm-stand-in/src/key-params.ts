// Which `<*>` slots of a template decide a parameter-dependent verdict (key_params), by a fixed rule
// that reads the template alone, so tests can name the expected slots: a slot counts when its
// template token follows a word naming a peer or a status (to, from, host, server, peer, status,
// code; a trailing `:` or `=` allowed), or the token itself starts with such a word and `=`/`:`
// (`status=<*>`). Counters, ids and durations never count: "retry <*> of request <*> to <*> failed"
// gives [2]. A template with no such slot gives [] (every value matters).

const WILDCARD = '<*>';
const KEY_WORDS = new Set(['to', 'from', 'host', 'server', 'peer', 'status', 'code']);
const stripped = (word: string): string => word.toLowerCase().replace(/[:=]+$/, '');

/** The 0-based indexes of the template's `<*>` slots that decide its verdict, in order. */
export function keyParamsOf(template: string): number[] {
  const out: number[] = [];
  let slot = 0;
  let previous = '';
  for (const token of template.split(/\s+/).filter((t) => t !== '')) {
    const slots = token.split(WILDCARD).length - 1;
    const head = token.split(WILDCARD)[0] ?? '';
    const key = KEY_WORDS.has(stripped(previous)) || (/[:=]$/.test(head) && KEY_WORDS.has(stripped(head)));
    for (let i = 0; i < slots; i++, slot++) if (key) out.push(slot);
    previous = token;
  }
  return out;
}

/** An index no template of `template`'s shape has (the bad_key_params fault). */
export function outOfRangeKeyParams(template: string): number[] {
  return [template.split(WILDCARD).length - 1 + 5];
}
