import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { csvRecords } from '../patterns/csv.js';

/** Where the Loghub-2k samples live when this checkout has ../shared beside it. */
export const LOGHUB_DIR = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'loghub-2k');

/** Raw lines per system from Loghub-2k, or undefined when the samples are not on this machine. */
export function loadLoghub(): Map<string, string[]> | undefined {
  if (!existsSync(LOGHUB_DIR)) return undefined;
  const out = new Map<string, string[]>();
  for (const system of readdirSync(LOGHUB_DIR, { withFileTypes: true })) {
    if (!system.isDirectory()) continue;
    const file = join(LOGHUB_DIR, system.name, `${system.name}_2k.log`);
    if (existsSync(file)) out.set(system.name, readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== ''));
  }
  return out;
}

/**
 * Ground-truth event kinds per system: the distinct EventIds of `<system>_2k.log_structured.csv`.
 * The pipeline's call target is computed from these, never from the templates the miner created
 * (which include ids later generalised away and would let the target grade itself).
 */
export function loghubEventKinds(): Map<string, number> {
  const out = new Map<string, number>();
  if (!existsSync(LOGHUB_DIR)) return out;
  for (const system of readdirSync(LOGHUB_DIR, { withFileTypes: true })) {
    if (!system.isDirectory()) continue;
    const file = join(LOGHUB_DIR, system.name, `${system.name}_2k.log_structured.csv`);
    if (!existsSync(file)) continue;
    const ids = new Set(csvRecords(readFileSync(file, 'utf8')).map((r) => r.EventId).filter(Boolean));
    out.set(system.name, ids.size);
  }
  return out;
}
