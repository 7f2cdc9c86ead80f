import type { Queryable } from '../../db/types.js';
import { copyVerdict, setTemplateKeying, unassignLines, waitingLines } from './repo-keys.js';
import type { JobVerdict } from './repo-verdicts.js';
import { verdictKey, type TemplateKeying } from './verdict-key.js';

/**
 * A template-wide verdict came back parameter-dependent: records which slots decide it, keeps on it
 * the waiting lines whose key values equal the representative's, copies it to the representative's
 * own key (later lines with those values reuse it instead of costing a call) and sends the other
 * lines back to the assign pass, which keys them by their values. Returns the keys to resolve.
 */
export async function spreadParameterDependent(q: Queryable, c: JobVerdict, keyParams: number[]): Promise<string[]> {
  const template = c.template ?? '';
  await setTemplateKeying(q, c.template_id, keyParams, template);
  const keying: TemplateKeying = { parameterDependent: true, keyParams, keyTemplate: template };
  const own = verdictKey(c.template_id, keying, c.message ?? '');
  const lines = await waitingLines(q, c.key);
  const away = lines.filter((l) => l.log_id !== c.representative_id && verdictKey(c.template_id, keying, l.message) !== own);
  await unassignLines(q, c.key, away.map((l) => l.log_id));
  await copyVerdict(q, c.key, own);
  return [c.key, own];
}
