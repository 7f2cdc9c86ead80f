import { truncateBytes } from './escape.js';
import type { AlertNotification, Language, Severity } from './types.js';

const TEXTS = {
  'zh-CN': {
    firing: '告警', resolved: '已恢复', test: '测试消息',
    severity: { critical: '严重', high: '高', medium: '中', low: '低', info: '提示' } as Record<Severity, string>,
    rule: '规则', level: '级别', service: '服务', count: '次数', firstSeen: '首次出现', lastSeen: '最近出现',
    summary: '摘要', rootCause: '根因', suggestion: '建议', sample: '日志样例', open: '查看告警',
    demo: '演示模式：本分析来自内置的模拟模型，并非真实 LLM 的结论。',
    testNote: '这是一条来自 LogSage 的测试消息，说明该通知渠道配置正确。',
  },
  en: {
    firing: 'FIRING', resolved: 'RESOLVED', test: 'TEST',
    severity: { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info' } as Record<Severity, string>,
    rule: 'Rule', level: 'Severity', service: 'Service', count: 'Count', firstSeen: 'First seen', lastSeen: 'Last seen',
    summary: 'Summary', rootCause: 'Root cause', suggestion: 'Suggestion', sample: 'Sample log', open: 'Open alert',
    demo: 'Demo mode: this analysis came from the built-in stand-in model, not a real LLM.',
    testNote: 'This is a test message from LogSage: the channel is configured correctly.',
  },
};

/** A notification turned into labelled parts; `raw` values are untrusted and escaped by each channel. */
export interface Message {
  lang: Language;
  /** Our own words (status, severity), safe as is. */
  headline: string;
  /** The rule name: user-configured, escaped like the rest. */
  ruleName: string;
  status: AlertNotification['status'];
  severity: Severity;
  /** Short facts: label (ours) and value (untrusted). */
  facts: [string, string][];
  /** Longer texts: label (ours) and value (untrusted). */
  sections: [string, string][];
  /** Our own notes (demo mode, test send). */
  notes: string[];
  link: string;
  linkLabel: string;
  idempotencyKey: string;
  test: boolean;
}

function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Renders the parts of a message in `lang`; `publicUrl` is where the dashboard link points. */
export function renderMessage(n: AlertNotification, lang: Language, publicUrl: string, test = false): Message {
  const t = TEXTS[lang];
  const service = n.labels.service ?? '';
  const facts: [string, string][] = [
    [t.level, t.severity[n.severity]],
    ...(service ? [[t.service, service] as [string, string]] : []),
    [t.count, String(n.count)],
    [t.firstSeen, formatTime(n.firstSeen)],
    [t.lastSeen, formatTime(n.lastSeen)],
  ];
  const all: [string, string][] = [
    [t.summary, n.summary], [t.rootCause, n.rootCause], [t.suggestion, n.suggestion],
    ...(n.sampleMessage ? [[t.sample, n.sampleMessage] as [string, string]] : []),
  ];
  const sections = all.filter(([, v]) => v.trim() !== '');
  const notes = [...(test ? [t.testNote] : []), ...(n.demo ? [t.demo] : [])];
  const headline = `[${test ? `${t.test} ` : ''}${n.status === 'firing' ? t.firing : t.resolved}][${t.severity[n.severity]}]`;
  return {
    // Short values are cut here so the fixed part of any message stays small whatever a log carried.
    lang, headline, ruleName: truncateBytes(n.rule.name, 200), status: n.status, severity: n.severity,
    facts: facts.map(([k, v]) => [k, truncateBytes(v, 200)]), sections, notes,
    link: `${publicUrl.replace(/\/+$/, '')}${n.path ?? `/alerts/${encodeURIComponent(n.alertId)}`}`,
    linkLabel: t.open, idempotencyKey: n.idempotencyKey, test,
  };
}

/** A sample notification for a channel's test send. */
export function sampleNotification(lang: Language): AlertNotification {
  const now = new Date().toISOString();
  const zh = lang === 'zh-CN';
  return {
    idempotencyKey: `test-${Date.now()}`, status: 'firing', alertId: 'test', rule: { id: 'test', name: zh ? '测试规则' : 'Test rule' },
    severity: 'info', labels: { service: 'logsage' }, count: 1, firstSeen: now, lastSeen: now,
    summary: zh ? '通知渠道测试。' : 'Notification channel test.', rootCause: '', suggestion: '', demo: false,
  };
}

