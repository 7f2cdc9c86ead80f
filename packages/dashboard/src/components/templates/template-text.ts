/** A piece of a template: literal text, or a `<*>` parameter slot. */
export interface TemplatePart {
  text: string;
  param: boolean;
}

/** Splits a Drain template at its `<*>` slots so they can be marked up, as text, never as HTML. */
export function splitTemplate(template: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const pieces = template.split('<*>');
  pieces.forEach((text, i) => {
    if (text) parts.push({ text, param: false });
    if (i < pieces.length - 1) parts.push({ text: '<*>', param: true });
  });
  return parts;
}
