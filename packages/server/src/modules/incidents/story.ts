// The story step: each incident whose story is due gets one LLM call (through the ai role) with its
// evidence: the signals, their counts, a few sample lines and the templates' stored verdicts. The
// daily LLM budget holds it (the story stays due); failures are retried on later ticks, then the
// story is marked failed. Detection never waits on it.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AnalysisCallError, INCIDENT_REQUEST_LIMITS as LIMITS, SEVERITIES, type DescribeIncidentRequest, type DescribeIncidentResult, type IncidentSignalInput, type SeverityName } from '@logsage/ai-service';
import type { Db, Queryable } from '../../db/types.js';
import { addUsage, pendingTemplateSamples, shareByService, templateSamples, templateVerdicts, utcDay, type BudgetGate } from '../analysis/index.js';
import { serviceErrorSamples } from '../query/index.js';
import { addHistory, type StoredStory } from './repo-state.js';
import { claimStory, dueStories, incidentSignals, saveStory, storyAttemptFailed, type ClaimedStory } from './repo-story.js';
import type { ActiveSignal, IncidentSeverity } from './types.js';

/** The ai role as the story step uses it (AiBackend's describeIncident). */
export interface IncidentAi {
  describeIncident(req: DescribeIncidentRequest, opts: { requestId: string }): Promise<DescribeIncidentResult>;
}

/** Tells alerting an incident got its story (in the transaction that stores it). */
export type StoryAlert = (tx: Queryable, c: ClaimedStory, story: StoredStory, nowMs: number) => Promise<void>;

export interface StoryDeps {
  db: Db;
  ai: IncidentAi;
  budget: BudgetGate;
  log: Pick<Logger, 'warn' | 'info'>;
  onStory: StoryAlert;
  /** Attempts per story before it is marked failed. */
  maxAttempts?: number;
  /** How long a claimed story is left to one worker (longer than the ai role's own deadline). */
  leaseMs?: number;
  /** Stories written per tick at most. */
  perTick?: number;
}

const RANK: Record<IncidentSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export interface StoryReport {
  written: number;
  failed: number;
  /** Due stories left for a later tick because a daily budget is reached. */
  held: number;
}

/** Writes the due stories, one LLM call each; returns what happened. */
export async function writeDueStories(d: StoryDeps, nowMs: number): Promise<StoryReport> {
  const report: StoryReport = { written: 0, failed: 0, held: 0 };
  const due = await dueStories(d.db, nowMs, d.perTick ?? 5);
  for (const id of due) {
    // Checked before every call: one story's tokens can reach the budget for the next.
    if ((await d.budget.check()).reached) {
      report.held = due.length - report.written - report.failed;
      break;
    }
    const claimed = await claimStory(d.db, id, nowMs, d.leaseMs ?? 20 * 60_000);
    if (!claimed) continue;
    const ok = await writeOne(d, claimed, nowMs);
    if (ok) report.written++;
    else report.failed++;
  }
  return report;
}

async function writeOne(d: StoryDeps, c: ClaimedStory, nowMs: number): Promise<boolean> {
  const requestId = `incident-${c.id}-${c.stories}-${randomUUID().slice(0, 8)}`;
  let answer: DescribeIncidentResult;
  try {
    answer = await d.ai.describeIncident(await storyRequest(d.db, c), { requestId });
  } catch (err) {
    // A request the ai role refuses as invalid cannot pass on a retry.
    const permanent = err instanceof AnalysisCallError && !err.retryable;
    const message = err instanceof Error ? err.message : String(err);
    const failed = await d.db.transaction(async (tx) => {
      // What the failed call already spent (invalid or cut replies are billed) counts in the day's usage and budget.
      if (err instanceof AnalysisCallError && err.usage && err.llmCalls && err.model) {
        await addUsage(tx, utcDay(nowMs), err.model, err.llmCalls, err.usage, shareByService(c.services, err.usage));
      }
      const gaveUp = await storyAttemptFailed(tx, c, permanent ? c.attempts : (d.maxAttempts ?? 3));
      if (gaveUp) await addHistory(tx, c.id, nowMs, 'story_failed', { attempts: c.attempts, error: message.slice(0, 500) });
      return gaveUp;
    });
    d.log.warn({ incident: c.id, attempt: c.attempts, failed, err: { message } }, 'incident story failed');
    return false;
  }
  const story = storedStory(answer, nowMs);
  await d.db.transaction(async (tx) => {
    await saveStory(tx, c, story, nowMs);
    // The tokens count in the same daily usage (and budget) as analyses, shared among the incident's services.
    await addUsage(tx, utcDay(nowMs), answer.model, answer.llmCalls, answer.usage, shareByService(c.services, answer.usage));
    await addHistory(tx, c.id, nowMs, 'story', { model: answer.model, story: c.stories, signals: c.signalCount, services: c.services, demo: answer.demo });
    await d.onStory(tx, c, story, nowMs);
  });
  return true;
}

/** The story as stored (the API's snake_case shape). */
function storedStory(a: DescribeIncidentResult, nowMs: number): StoredStory {
  const s = a.story;
  return {
    title: s.title, summary: s.summary, timeline: s.timeline.map((t) => ({ at: t.at, text: t.text })), first_cause: s.firstCause,
    affected_services: s.affectedServices, next_steps: s.nextSteps, severity: s.severity, confidence: s.confidence,
    model: a.model, written_at: new Date(nowMs).toISOString(), demo: a.demo,
  };
}

/** The evidence of one incident: its most important signals, with samples and the templates' verdicts. */
export async function storyRequest(q: Queryable, c: ClaimedStory): Promise<DescribeIncidentRequest> {
  const all = await incidentSignals(q, c.id);
  const top = [...all].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.score - a.score || a.startedMs - b.startedMs).slice(0, LIMITS.maxSignals);
  const withTemplate = top.filter((s): s is ActiveSignal & { templateId: string } => s.templateId !== null);
  const until = c.lastSignalMs + 60_000;
  const pairs = withTemplate.map((s) => ({ templateId: s.templateId, service: s.service }));
  // A template new in the incident often has no analysed line yet: its pending lines stand in.
  const samples = [...(await templateSamples(q, pairs, until)), ...(await pendingTemplateSamples(q, pairs, until))];
  const verdicts = await templateVerdicts(q, [...new Set(withTemplate.map((s) => s.templateId))]);
  const signals: IncidentSignalInput[] = [];
  for (const s of top) {
    const lines = s.templateId === null
      ? (await serviceErrorSamples(q, s.service, until)).map((x) => x.message)
      : samples.filter((x) => x.templateId === s.templateId && x.service === s.service).map((x) => x.message);
    const v = s.templateId === null ? undefined : verdicts.get(s.templateId);
    signals.push({
      kind: s.kind, service: s.service, template: s.template.slice(0, LIMITS.maxTemplateChars), startedAt: new Date(s.startedMs).toISOString(),
      observed: s.observed, expected: s.expected, samples: lines.slice(0, LIMITS.maxSamples).map((l) => l.slice(0, LIMITS.maxSampleChars)),
      ...(v && isSeverity(v.severity) ? { verdict: { summary: v.summary.slice(0, LIMITS.maxVerdictChars), severity: v.severity } } : {}),
    });
  }
  return { incidentId: c.id, openedAt: new Date(c.openedMs).toISOString(), updatedAt: new Date(c.lastSignalMs).toISOString(), signals };
}

const isSeverity = (s: string): s is SeverityName => (SEVERITIES as readonly string[]).includes(s);
