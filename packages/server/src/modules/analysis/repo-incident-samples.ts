import { utcText } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';
import type { TemplateSample } from './repo-counts.js';

// Sample lines of templates still waiting for a verdict. A template new in an incident often has no
// analysis row yet (the LLM is slow, down, or over its budget), so its only lines are pending ones;
// templateSamples (repo-counts.ts) reads the analysed lines.

/**
 * Up to `perTemplate` pending lines of each (template, service) at or before `beforeMs`, newest first.
 * Found through the pending rows' verdict key (indexed), which is the template id itself for a
 * template-wide verdict; lines of parameter-dependent templates, keyed per value, are not found here.
 */
export async function pendingTemplateSamples(
  q: Queryable,
  pairs: { templateId: string; service: string }[],
  beforeMs: number,
  perTemplate = 3,
): Promise<TemplateSample[]> {
  if (pairs.length === 0) return [];
  const r = await q.query<{ t: string; log_id: string; ts: string; service: string; level: string; message: string }>(
    `SELECT u.t, x.log_id, x.ts, x.service, x.level, x.message
       FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS u(t, s, n)
       CROSS JOIN LATERAL (
         SELECT p.log_id::text AS log_id, ${utcText('p.ts')} AS ts, l.service, l.level, l.message
           FROM analysis_pending p JOIN logs l ON l.id = p.log_id AND l.ts = p.ts
          WHERE p.verdict_key = u.t AND p.template_id = u.t AND l.service = u.s AND p.ts <= $3::timestamptz
          ORDER BY p.ts DESC, p.log_id DESC LIMIT $4) x
      ORDER BY u.n, x.ts DESC`,
    [pairs.map((p) => p.templateId), pairs.map((p) => p.service), new Date(beforeMs).toISOString(), perTemplate],
  );
  return r.rows.map((x) => ({ templateId: x.t, logId: x.log_id, ts: x.ts, service: x.service, level: x.level, message: x.message }));
}
