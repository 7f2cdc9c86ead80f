// Fault parsing and selection: header, planted token, then the FIFO queue.
import { FAULT_KINDS, type Fault, type FaultKind } from './types.js';

// Kinds that mean nothing without their parameter.
const PARAM_REQUIRED: ReadonlySet<FaultKind> = new Set(['slow', 'length_below']);
const TOKEN = /stand-in-fault:([a-z_]+)(?::(\d+))?/g;

function isFaultKind(kind: string): kind is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(kind);
}

/** Checks an unknown value is a Fault; returns the fault or a message saying what is wrong. */
export function validateFault(value: unknown): Fault | string {
  if (typeof value !== 'object' || value === null) return 'a fault must be an object {kind, param?}';
  const { kind, param } = value as { kind?: unknown; param?: unknown };
  if (typeof kind !== 'string' || !isFaultKind(kind)) {
    return `unknown fault kind ${JSON.stringify(kind)}; known: ${FAULT_KINDS.join(', ')}`;
  }
  if (param !== undefined && (typeof param !== 'number' || !Number.isFinite(param) || param < 0)) {
    return `fault ${kind}: param must be a non-negative number`;
  }
  if (param === undefined && PARAM_REQUIRED.has(kind)) return `fault ${kind} needs a param (${kind}:N)`;
  return param === undefined ? { kind } : { kind, param };
}

/** Parses `kind` or `kind:param` (the x-stand-in-fault header form). */
export function parseFaultSpec(spec: string): Fault | string {
  const [kind, param, extra] = spec.trim().split(':');
  if (extra !== undefined) return `fault ${JSON.stringify(spec)} must be kind or kind:param`;
  if (param !== undefined && !/^\d+$/.test(param)) return `fault ${JSON.stringify(spec)}: param must be an integer`;
  return validateFault({ kind, param: param === undefined ? undefined : Number(param) });
}

/** The first valid `stand-in-fault:kind[:param]` token in the text; unknown kinds are ignored as data. */
export function findPlantedFault(text: string): Fault | undefined {
  for (const match of text.matchAll(TOKEN)) {
    const fault = validateFault({ kind: match[1], param: match[2] === undefined ? undefined : Number(match[2]) });
    if (typeof fault !== 'string') return fault;
  }
  return undefined;
}

/** Formats a fault back into its `kind[:param]` form, for logs and errors. */
export function formatFault(fault: Fault): string {
  return fault.param === undefined ? fault.kind : `${fault.kind}:${fault.param}`;
}
