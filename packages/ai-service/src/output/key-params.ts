// The model names which `<*>` slots of a template decide its verdict (key_params); the caller then
// caches one verdict per distinct value of those slots instead of one per message. An index the
// template cannot have would make the caller share a verdict between lines the model never said
// were alike, so any invalid list falls back to "every value matters" and is counted as a repair.
import type { ModelResult } from '../prompts/schema.js';

const WILDCARD = '<*>';

/** How many `<*>` slots a template has. */
export function slotCount(template: string): number {
  return template === '' ? 0 : template.split(WILDCARD).length - 1;
}

export interface CheckedKeyParams {
  /** Sorted, distinct slot indexes; empty means every value matters (or none, when not parameter-dependent). */
  keyParams: number[];
  /** True when the model's list was invalid and was replaced by "every value matters". */
  repaired: boolean;
}

/**
 * Checks a result's key_params against the template the model saw (`shown`) and the template the
 * caller will extract values with (`raw`): when redaction removed a slot the two disagree and no
 * index can be trusted.
 */
export function checkKeyParams(r: Pick<ModelResult, 'parameter_dependent' | 'key_params'>, shown: string, raw: string): CheckedKeyParams {
  const list = r.key_params ?? [];
  if (!r.parameter_dependent || list.length === 0) return { keyParams: [], repaired: false };
  const slots = slotCount(shown);
  const valid = slots === slotCount(raw) && list.every((i) => Number.isInteger(i) && i >= 0 && i < slots);
  if (!valid) return { keyParams: [], repaired: true };
  return { keyParams: [...new Set(list)].sort((a, b) => a - b), repaired: false };
}
