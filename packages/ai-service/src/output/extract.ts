// Turning a model's content into a JSON value. Reasoning models put their thinking in front of
// the answer (`<think>…</think>`, sometimes with the opening tag missing), and many models wrap
// JSON in code fences or prose; none of that may reach JSON.parse.

/** Removes reasoning: everything up to the last `</think>`; an unclosed `<think>` leaves nothing. */
export function stripReasoning(content: string): string {
  const close = content.lastIndexOf('</think>');
  if (close >= 0) return content.slice(close + '</think>'.length).trim();
  // Thinking that never closed is a reply cut short inside its reasoning: no answer in it.
  const open = content.indexOf('<think>');
  return (open >= 0 ? content.slice(0, open) : content).trim();
}

/** Returns the body of the first ``` fence when there is one, else the text unchanged. */
export function stripFences(text: string): string {
  const fence = /```[\w-]*[ \t]*\r?\n?([\s\S]*?)```/.exec(text);
  return fence?.[1] !== undefined ? fence[1].trim() : text;
}

/** Index just past the value that opens at `start` (`{` or `[`), or -1 when it never closes. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

export type Extracted = { ok: true; value: unknown } | { ok: false; error: string };

/** Finds and parses the JSON object in a reply (after reasoning and fences are stripped). */
export function extractJson(content: string): Extracted {
  const text = stripFences(stripReasoning(content));
  if (text === '') return { ok: false, error: 'the reply has no content after removing the reasoning' };
  let lastError = 'no JSON object found in the reply';
  for (let start = text.search(/[{[]/); start >= 0; ) {
    const end = balancedEnd(text, start);
    if (end < 0) return { ok: false, error: 'the JSON in the reply is incomplete (it never closes)' };
    try {
      return { ok: true, value: JSON.parse(text.slice(start, end)) as unknown };
    } catch (err) {
      lastError = `the reply is not valid JSON: ${(err as Error).message}`;
    }
    const next = text.slice(end).search(/[{[]/);
    start = next < 0 ? -1 : end + next;
  }
  return { ok: false, error: lastError };
}
