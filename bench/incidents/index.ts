// Incident detection benchmark: 24 h of simulated per-minute traffic (6 services, ~80 templates,
// daily rhythm, Poisson noise, batch-job bursts, harmless new info templates, services starting
// partway) after 2 days of history, with planted incidents of several shapes. Each minute's input
// is assembled as the worker assembles it from the database, then detectSignals and
// advanceIncidents run minute by minute. Prints recall, precision, detection delay, story requests
// and the cost of signal computation beside a baseline measured in the same run. Asserts nothing.
// INCIDENTS_SEED=<n> runs another seed.
import { detectSignals } from '../../packages/server/src/modules/incidents/detect.js';
import { advanceIncidents } from '../../packages/server/src/modules/incidents/grouping.js';
import { DEFAULT_GROUPING_OPTIONS, DEFAULT_SIGNAL_OPTIONS } from '../../packages/server/src/modules/incidents/options.js';
import type { GroupingState } from '../../packages/server/src/modules/incidents/types.js';
import { Counts } from './inputs.js';
import { Collector, median, score, type Found } from './score.js';
import { buildWorld, EVAL_FROM, TOTAL, type World } from './world.js';

const seed = Number(process.env.INCIDENTS_SEED ?? 20301);
const world = buildWorld(seed, 24);
const counts = new Counts(world, DEFAULT_SIGNAL_OPTIONS);

/** Baseline: assemble every minute's input and sum its counts, without detecting anything. */
function baseline(): { ms: number; lines: number } {
  const t0 = performance.now();
  let lines = 0;
  for (let m = EVAL_FROM; m < TOTAL; m++) {
    const input = counts.input(m);
    for (const t of input.templates) lines += t.minutes[t.minutes.length - 1] ?? 0;
  }
  return { ms: performance.now() - t0, lines };
}

/** The same, then detect and group each minute. */
function detect(): { ms: number; collector: Collector; observations: number } {
  const collector = new Collector();
  let state: GroupingState = { incidents: [], signals: [] };
  let n = 0;
  const newId = (prefix: 'inc' | 'sig'): string => `${prefix}_${++n}`;
  let observations = 0;
  const t0 = performance.now();
  for (let m = EVAL_FROM; m < TOTAL; m++) {
    const input = counts.input(m);
    const found = detectSignals(input, DEFAULT_SIGNAL_OPTIONS);
    observations += found.length;
    const step = advanceIncidents(state, found, input.minuteMs, DEFAULT_GROUPING_OPTIONS, newId);
    state = step.state;
    collector.add(step);
  }
  return { ms: performance.now() - t0, collector, observations };
}

// Warm the JIT on both paths once, then keep the faster of three runs of each.
const runs = 3;
let base = baseline();
let full = detect();
for (let k = 1; k < runs; k++) {
  const b = baseline();
  if (b.ms < base.ms) base = b;
  const f = detect();
  if (f.ms < full.ms) full = { ...f };
}

const minutes = TOTAL - EVAL_FROM;
const s = score(full.collector, world.planted, TOTAL - 1);
const goal = (ok: boolean): string => (ok ? 'met' : '**not met**');
const f2 = (x: number): string => x.toFixed(2);

printWorld(world, base.lines);
console.log('\n| figure | value | goal |');
console.log('| --- | --- | --- |');
console.log(`| planted incidents | ${world.planted.length} | |`);
console.log(`| incidents opened | ${s.incidents} | |`);
console.log(`| signal observations | ${full.observations} | |`);
console.log(`| recall | ${f2(s.recall)} | >= 0.9: ${goal(s.recall >= 0.9)} |`);
console.log(`| precision | ${f2(s.precision)} | >= 0.8: ${goal(s.precision >= 0.8)} |`);
console.log(`| detection delay, median / max (min) | ${median(s.delays)} / ${Math.max(0, ...s.delays)} | |`);
console.log(`| story requests per incident, mean / max | ${f2(s.storiesMean)} / ${s.storiesMax} | <= 3: ${goal(s.storiesMax <= 3)} |`);

console.log('\n| shape | planted | found | recall |');
console.log('| --- | --- | --- | --- |');
for (const [shape, r] of s.perShape) console.log(`| ${shape} | ${r.planted} | ${r.found} | ${r.planted ? f2(r.found / r.planted) : '-'} |`);

const perMinute = (ms: number): number => (ms * 1000) / minutes;
const perMillion = (ms: number): number => (ms * 1000) / (base.lines / 1e6);
console.log(`\n| cost (best of ${runs}, ${minutes} minutes, ${(base.lines / 1e6).toFixed(2)} M lines) | µs per minute | µs per million lines |`);
console.log('| --- | --- | --- |');
console.log(`| baseline: assemble inputs, sum counts | ${perMinute(base.ms).toFixed(0)} | ${perMillion(base.ms).toFixed(0)} |`);
console.log(`| assemble, detectSignals, advanceIncidents | ${perMinute(full.ms).toFixed(0)} | ${perMillion(full.ms).toFixed(0)} |`);
console.log(`| signal computation (difference) | ${perMinute(full.ms - base.ms).toFixed(0)} | ${perMillion(full.ms - base.ms).toFixed(0)} |`);

printMisses(world, s.missed, s.unmatched);

function printWorld(w: World, lines: number): void {
  const natures = new Map<string, number>();
  for (const t of w.templates) natures.set(t.nature, (natures.get(t.nature) ?? 0) + 1);
  console.log(`seed ${seed}: ${w.services.length} services (${w.services.filter((x) => x.startMinute > 0).map((x) => x.name).join(', ')} start partway), ` +
    `${w.templates.length} templates (${[...natures].map(([k, v]) => `${v} ${k}`).join(', ')}), ${lines} lines in the evaluated day`);
}

function printMisses(w: World, missed: typeof world.planted, unmatched: Found[]): void {
  const nature = (id: string | null): string => w.templates.find((t) => t.id === id)?.nature ?? '-';
  if (missed.length > 0) {
    console.log('\n| missed planted | shape | minute | services | templates |');
    console.log('| --- | --- | --- | --- | --- |');
    for (const p of missed) console.log(`| ${p.id} | ${p.shape} | ${p.start - EVAL_FROM} | ${p.services.join(', ')} | ${p.templates.join(', ')} |`);
  }
  if (unmatched.length > 0) {
    console.log('\n| unmatched incident | opened (minute) | first signals (kind service template: nature) |');
    console.log('| --- | --- | --- |');
    for (const f of unmatched.slice(0, 15)) {
      const sig = f.signals.slice(0, 3).map((x) => `${x.kind} ${x.service} ${x.templateId ?? '-'}: ${nature(x.templateId)}`).join('; ');
      console.log(`| ${f.id} | ${f.opened - EVAL_FROM} | ${sig} |`);
    }
  }
}
