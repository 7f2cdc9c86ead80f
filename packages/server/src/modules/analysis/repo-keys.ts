import { LOG_OF_PENDING } from '../../db/sql.js';
import type { Queryable } from '../../db/types.js';

// SQL of a template-wide verdict that turned out parameter-dependent (see rekey.ts).

/**
 * Locks template rows, in id order, before their verdicts: the assign pass locks a template (its
 * count upsert) before its verdict rows, and a job updating the template after completing the
 * verdict deadlocked against it (PostgreSQL aborted the job; its lines waited for the reconciler).
 */
export async function lockTemplates(q: Queryable, templateIds: string[]): Promise<void> {
  if (templateIds.length === 0) return;
  await q.query(`SELECT id FROM log_templates WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`, [templateIds]);
}

/** Flags a template as parameter-dependent and records which slots of which text decide its verdicts. */
export async function setTemplateKeying(q: Queryable, templateId: string, keyParams: number[], keyTemplate: string): Promise<void> {
  await q.query(`UPDATE log_templates SET parameter_dependent = true, key_params = $2::smallint[], key_template = $3 WHERE id = $1`, [
    templateId,
    keyParams,
    keyTemplate,
  ]);
}

/** The lines waiting on a verdict key, with their text (lines whose log is gone are left out). */
export async function waitingLines(q: Queryable, key: string): Promise<{ log_id: string; message: string }[]> {
  const r = await q.query<{ log_id: string; message: string }>(
    `SELECT p.log_id::text AS log_id, l.message FROM analysis_pending p ${LOG_OF_PENDING('p', 'message')}
      WHERE p.verdict_key = $1 ORDER BY p.log_id`,
    [key],
  );
  return r.rows;
}

/** Sends lines waiting on `key` back to the assign pass, which keys them again. */
export async function unassignLines(q: Queryable, key: string, logIds: string[]): Promise<void> {
  if (logIds.length === 0) return;
  await q.query(`UPDATE analysis_pending SET verdict_key = NULL WHERE verdict_key = $1 AND log_id = ANY($2::bigint[])`, [key, logIds]);
}

/**
 * Stores a finished verdict under another key too (same representative, result and expiry), so
 * later lines keyed there reuse it. A key already open takes it (its waiting lines are answered);
 * a key scheduled or done keeps its own.
 */
export async function copyVerdict(q: Queryable, from: string, to: string): Promise<void> {
  await q.query(
    `INSERT INTO verdicts (key, template_id, state, representative_id, representative_ts, result, model, demo, analysed_at, expires_at)
     SELECT $2, template_id, 'done', representative_id, representative_ts, result, model, demo, analysed_at, expires_at
       FROM verdicts WHERE key = $1 AND state = 'done'
     ON CONFLICT (key) DO UPDATE SET state = 'done', representative_id = EXCLUDED.representative_id,
       representative_ts = EXCLUDED.representative_ts, result = EXCLUDED.result, model = EXCLUDED.model, demo = EXCLUDED.demo,
       analysed_at = EXCLUDED.analysed_at, expires_at = EXCLUDED.expires_at, attempts = 0, last_error = NULL
     WHERE verdicts.state = 'open'`,
    [from, to],
  );
}
