import { randomBytes } from 'node:crypto';
import { AppError } from '../../lib/errors.js';
import type { IngestService, Rejection } from '../ingest/index.js';
import { ecsToEntry, isObject } from './ecs.js';
import { EsError } from './errors.js';

const OPS = ['index', 'create', 'update', 'delete'] as const;
type Op = (typeof OPS)[number];

/** One action of a bulk body with its document (or why the document could not be read). */
export interface BulkAction {
  op: Op;
  index: string;
  id?: string;
  doc?: Record<string, unknown>;
  docError?: string;
}

/** One entry of a bulk answer's `items`, keyed by the action's op. */
export type BulkItem = Record<string, Record<string, unknown>>;

export interface BulkAnswer {
  took: number;
  errors: boolean;
  items: BulkItem[];
}

/**
 * Cuts an NDJSON bulk body into actions. A malformed action line fails the whole request (400), as
 * in Elasticsearch; a malformed document fails only its own item.
 */
export function parseBulk(text: string, pathIndex: string | undefined): BulkAction[] {
  const lines = text.split('\n');
  const actions: BulkAction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const meta = parseAction(line, i + 1);
    const op = Object.keys(meta)[0] as Op;
    const m = meta[op] as Record<string, unknown>;
    const index = typeof m._index === 'string' ? m._index : (pathIndex ?? '');
    const id = typeof m._id === 'string' || typeof m._id === 'number' ? String(m._id) : undefined;
    const action: BulkAction = { op, index, ...(id === undefined ? {} : { id }) };
    if (op !== 'delete') {
      if (i + 1 >= lines.length || lines[i + 1]!.trim() === '') {
        throw new EsError(400, 'illegal_argument_exception', `The bulk request must be terminated by a newline [\\n] (action line [${i + 1}] has no source)`);
      }
      readDocument(lines[++i]!, action);
    }
    actions.push(action);
  }
  if (actions.length === 0) throw new EsError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  return actions;
}

function parseAction(line: string, lineNo: number): Record<string, unknown> {
  let meta: unknown;
  try {
    meta = JSON.parse(line);
  } catch (err) {
    throw new EsError(400, 'x_content_parse_exception', `[${lineNo}:1] Malformed action/metadata line [${lineNo}]: ${(err as Error).message}`);
  }
  const keys = isObject(meta) ? Object.keys(meta) : [];
  if (keys.length !== 1 || !(OPS as readonly string[]).includes(keys[0]!) || !isObject((meta as Record<string, unknown>)[keys[0]!])) {
    throw new EsError(400, 'illegal_argument_exception',
      `Malformed action/metadata line [${lineNo}], expected one of [create, delete, index, update] but found [${keys.join(', ')}]`);
  }
  return meta as Record<string, unknown>;
}

function readDocument(line: string, action: BulkAction): void {
  try {
    const doc = JSON.parse(line) as unknown;
    if (isObject(doc)) action.doc = doc;
    else action.docError = 'the document must be a JSON object';
  } catch (err) {
    action.docError = `failed to parse the document: ${(err as Error).message}`;
  }
}

const item = (a: BulkAction, id: string, status: number, extra: Record<string, unknown>): BulkItem => ({
  [a.op]: { _index: a.index, _id: id, status, ...extra },
});
const failed = (a: BulkAction, id: string, status: number, type: string, reason: string): BulkItem =>
  item(a, id, status, { error: { type, reason, index: a.index } });

const CREATED = { _version: 1, result: 'created', _shards: { total: 1, successful: 1, failed: 0 }, _seq_no: 0, _primary_term: 1 };

/**
 * Stores the index/create documents of a bulk request and answers one item per action with its own
 * status: 201 stored, 409 an `_id` already stored by `create` (200 `noop` for `index`: logs are not
 * overwritten), 400 a bad document or an unsupported op, 429 when the database cannot take it now.
 */
export async function runBulk(ingest: IngestService, actions: BulkAction[]): Promise<BulkAnswer> {
  const started = Date.now();
  const items: (BulkItem | undefined)[] = actions.map(() => undefined);
  const ids = actions.map((a) => a.id ?? randomBytes(15).toString('base64url'));
  const entries: { index: number; value: unknown }[] = [];
  actions.forEach((a, i) => {
    if (a.op === 'update' || a.op === 'delete') {
      items[i] = failed(a, ids[i]!, 400, 'illegal_argument_exception', `${a.op} is not supported: LogSage stores log events and never changes them`);
    } else if (!a.doc) items[i] = failed(a, ids[i]!, 400, 'document_parsing_exception', a.docError ?? 'no document');
    else entries.push({ index: i, value: ecsToEntry(a.doc, a.index, a.id) });
  });
  const outcome = entries.length === 0 ? { errors: [], duplicateIndexes: [] } : await store(ingest, entries);
  if ('unavailable' in outcome) {
    for (const { index } of entries) {
      items[index] = failed(actions[index]!, ids[index]!, 429, 'es_rejected_execution_exception', outcome.unavailable);
    }
  } else {
    for (const r of outcome.errors) {
      items[r.index] = failed(actions[r.index]!, ids[r.index]!, 400, 'document_parsing_exception', r.field ? `[${r.field}] ${r.reason}` : r.reason);
    }
    for (const i of outcome.duplicateIndexes) items[i] = duplicate(actions[i]!, ids[i]!);
  }
  const done = items.map((it, i) => it ?? item(actions[i]!, ids[i]!, 201, CREATED));
  return { took: Date.now() - started, errors: done.some((it) => (Object.values(it)[0]!.status as number) >= 300), items: done };
}

function duplicate(a: BulkAction, id: string): BulkItem {
  if (a.op === 'index') return item(a, id, 200, { _version: 1, result: 'noop', _shards: { total: 1, successful: 0, failed: 0 } });
  return failed(a, id, 409, 'version_conflict_engine_exception', `[${id}]: version conflict, document already exists (current version [1])`);
}

type Outcome = { errors: Rejection[]; duplicateIndexes: number[] } | { unavailable: string };

/** Calls the ingest service; a batch with nothing usable and a database that cannot take it are per-item answers, not request failures. */
async function store(ingest: IngestService, entries: { index: number; value: unknown }[]): Promise<Outcome> {
  try {
    return await ingest.ingest({ entries, rejections: [] }, 'elasticsearch');
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'invalid_logs') return { errors: (err.details as { errors?: Rejection[] } | undefined)?.errors ?? [], duplicateIndexes: [] };
    // Per-item 429 is what every Elasticsearch client retries with a backoff (the JS client's
    // helpers.bulk waits `wait` ms; a request-level 503 it retries at once, then gives up).
    if (err.code === 'unavailable' || err.code === 'rate_limited') return { unavailable: err.message };
    throw err;
  }
}
