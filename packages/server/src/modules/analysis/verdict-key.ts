// Which verdict a line shares. A template-wide verdict serves every line of its template; a
// parameter-dependent template's lines share a verdict only with lines holding the same values in
// the slots the model said decide it (key params), or, when it named none, only with equal lines.
// Keying by message alone made a template with a counter cost one LLM verdict per line.
import { extractParams } from '@logsage/log-patterns';
import { sha256 } from '../../lib/hash.js';

/** How a template's lines are keyed, as log_templates stores it. */
export interface TemplateKeying {
  parameterDependent: boolean;
  /** 0-based `<*>` slots of keyTemplate whose values decide the verdict; null or empty: every value. */
  keyParams: number[] | null;
  /** The template text the model judged, which keyParams index into. */
  keyTemplate: string | null;
}

/** The verdict key of a line of a parameter-dependent template judged per distinct message. */
export const messageKey = (templateId: string, message: string): string => `${templateId}:${sha256(message).slice(0, 16)}`;

/** The verdict key of the lines holding `values` in a template's key slots (`k` never occurs in a hex message hash). */
export const valuesKey = (templateId: string, values: string[]): string => `${templateId}:k${sha256(JSON.stringify(values)).slice(0, 16)}`;

/**
 * The values of a line in the key slots, or null when every value counts or the line does not fit
 * the judged template (it generalised since): such a line gets a verdict of its own, never one
 * judged for other values.
 */
export function keyValues(k: TemplateKeying, message: string): string[] | null {
  if (k.keyParams === null || k.keyParams.length === 0 || k.keyTemplate === null) return null;
  const params = extractParams(k.keyTemplate, message);
  if (params === null) return null;
  const out: string[] = [];
  for (const i of k.keyParams) {
    const v = params[i];
    if (v === undefined) return null;
    out.push(v);
  }
  return out;
}

/** The verdict key of one line of a template. */
export function verdictKey(templateId: string, k: TemplateKeying | undefined, message: string): string {
  if (!k?.parameterDependent) return templateId;
  const values = keyValues(k, message);
  return values === null ? messageKey(templateId, message) : valuesKey(templateId, values);
}
