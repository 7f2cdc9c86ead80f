#!/usr/bin/env node
// Runs the stand-in by hand: node packages/llm-stand-in/dist/cli.js --port 8090 [--api-key K] [--delay-ms N]
import { parseArgs } from 'node:util';
import { startStandIn } from './server.js';

const USAGE = `usage: logsage-llm-stand-in [--port 8090] [--host 127.0.0.1] [--api-key KEY] [--delay-ms N] [--model ID ...]

An OpenAI-compatible LLM stand-in: POST /v1/chat/completions, GET /v1/models, control API under /_stand-in/.`;

function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'api-key': { type: 'string' },
      'delay-ms': { type: 'string' },
      model: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const standIn = await startStandIn({
    port: numberOption('port', values.port, 8090),
    host: values.host ?? '127.0.0.1',
    apiKey: values['api-key'],
    delayMs: numberOption('delay-ms', values['delay-ms'], 0),
    models: values.model,
  });
  console.log(`LLM stand-in listening on ${standIn.url} (OpenAI base URL ${standIn.baseUrl})`);
  const stop = (): void => {
    void standIn.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
