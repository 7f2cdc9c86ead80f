// Reads the ai-service's prompt contract out of a chat request: language, the <logs> block (or, for
// an incident story prompt, the <incident> block), repairs.
import { INCIDENT_PROMPT_LINE, parseIncidentBlock, type IncidentEvidence } from './incident.js';
import type { ChatMessage, Language, PromptKind } from './types.js';

/** One log of the <logs> block, reduced to what the stand-in reads. */
export interface PromptLog {
  id: string;
  level: string;
  message: string;
  template?: string;
  service?: string;
}

export interface ParsedPrompt {
  language: Language;
  /** 'incident' when the system message carries the incident prompt line. */
  kind: PromptKind;
  /** For an incident prompt: the evidence, null when the first user message has no usable <incident> block. */
  incident: IncidentEvidence | null;
  /** null when the first user message has no <logs> block holding a JSON array of objects. */
  logs: PromptLog[] | null;
  /** True when the last user message asks to fix an invalid previous reply. */
  repair: boolean;
}

const LANGUAGE_LINE = /^\s*Output language:\s*(zh-CN|en)\s*$/m;
// Lazy up to the first closing tag: the client writes every '<' inside the JSON as \u003c, so the
// first '</logs>' is the block's own end even when a log message contains that text.
const LOGS_BLOCK = /<logs>([\s\S]*?)<\/logs>/;
const REPAIR_PREFIX = 'Your previous reply was invalid:';

/** The text of a message: a string content, or the text parts of a content array. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      if (typeof part !== 'object' || part === null) return '';
      const text = (part as { text?: unknown }).text;
      return typeof text === 'string' ? text : '';
    })
    .join('');
}

/** Total characters of every message's text, the basis of the prompt token estimate. */
export function promptChars(messages: readonly ChatMessage[]): number {
  return messages.reduce((sum, m) => sum + messageText(m).length, 0);
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function toPromptLog(value: unknown): PromptLog | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const v = value as Record<string, unknown>;
  const id = typeof v.id === 'string' || typeof v.id === 'number' ? String(v.id) : null;
  if (id === null) return null;
  return {
    id,
    level: optionalString(v.level) ?? '',
    message: optionalString(v.message) ?? '',
    template: optionalString(v.template),
    service: optionalString(v.service),
  };
}

/** Parses the JSON array of a <logs> block; null when the block is absent or unusable. */
export function parseLogsBlock(text: string): PromptLog[] | null {
  const match = LOGS_BLOCK.exec(text);
  if (!match) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(match[1] ?? '');
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  const logs = parsed.map(toPromptLog);
  return logs.every((l): l is PromptLog => l !== null) ? logs : null;
}

/** Which prompt a request carries: an incident story when its system message says so, else an analysis. */
export function promptKind(messages: readonly ChatMessage[]): PromptKind {
  const system = messages.find((m) => m.role === 'system');
  return system && INCIDENT_PROMPT_LINE.test(messageText(system)) ? 'incident' : 'analysis';
}

/** Reads language, logs (or incident evidence) and repair state from a request's messages. */
export function parsePrompt(messages: readonly ChatMessage[]): ParsedPrompt {
  const system = messages.find((m) => m.role === 'system');
  const language = (system && LANGUAGE_LINE.exec(messageText(system))?.[1]) === 'zh-CN' ? 'zh-CN' : 'en';
  const kind = promptKind(messages);
  const users = messages.filter((m) => m.role === 'user');
  const first = users[0];
  const last = users[users.length - 1];
  return {
    language,
    kind,
    incident: kind === 'incident' && first ? parseIncidentBlock(messageText(first)) : null,
    logs: kind === 'analysis' && first ? parseLogsBlock(messageText(first)) : null,
    repair: users.length > 1 && last !== undefined && messageText(last).trimStart().startsWith(REPAIR_PREFIX),
  };
}

/** Writes logs the way the prompt contract does: JSON with every '<' escaped, inside <logs>. */
export function formatLogsBlock(logs: readonly object[]): string {
  return `<logs>\n${JSON.stringify(logs).replaceAll('<', '\\u003c')}\n</logs>`;
}
