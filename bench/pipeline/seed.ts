// The seed's scheme, run for real as the baseline: every line goes to the model, 12 lines a call,
// through the same ai-service analyzer and the same stand-in.
import { createAnalyzer } from '@logsage/ai-service';
import type { StandIn } from '@logsage/llm-stand-in';

export interface SeedFigures {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  seconds: number;
}

/** Sends `lines` to the stand-in in batches of 12 with `concurrency` batches in flight. */
export async function runSeedScheme(llm: StandIn, system: string, lines: string[], concurrency: number): Promise<SeedFigures> {
  const analyzer = createAnalyzer({
    provider: { name: 'bench', baseUrl: llm.baseUrl, apiKey: 'bench', model: 'bench-model' },
    language: 'en',
    maxRetries: 0,
    rpm: 0,
  });
  llm.reset();
  const batches: string[][] = [];
  for (let i = 0; i < lines.length; i += 12) batches.push(lines.slice(i, i + 12));
  const t0 = performance.now();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < batches.length) {
      const k = next++;
      const batch = batches[k] ?? [];
      await analyzer.analyze({ logs: batch.map((message, i) => ({ id: `${k}-${i}`, message, service: system, level: 'info' })) });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const s = llm.stats();
  return { calls: s.calls, promptTokens: s.promptTokens, completionTokens: s.completionTokens, seconds: (performance.now() - t0) / 1000 };
}
