// The fixed sentences the deterministic incident story is assembled from, per language.
import type { Language } from './types.js';

export type SignalKindName = 'new_template' | 'rate_spike' | 'rate_drop' | 'error_share';

interface StoryTexts {
  kind: Record<SignalKindName, string>;
  title(kind: string, service: string, others: number): string;
  summary(signals: number, services: string, openedAt: string, updatedAt: string, first: string): string;
  event(kind: string, service: string, subject: string, observed: number, expected: number): string;
  cause(kind: string, service: string, subject: string, verdict: string): string;
  steps: Record<SignalKindName, string>;
  deploys(service: string): string;
  noIncident: string;
}

const EN: StoryTexts = {
  kind: { new_template: 'New log template', rate_spike: 'Rate spike', rate_drop: 'Rate drop', error_share: 'Error share up' },
  title: (kind, service, others) => `${kind} in ${service}${others > 0 ? ` and ${others} more service${others > 1 ? 's' : ''}` : ''}`,
  summary: (signals, services, openedAt, updatedAt, first) =>
    `${signals} signal${signals === 1 ? '' : 's'} across ${services} between ${openedAt} and ${updatedAt}. It started with: ${first}.`,
  event: (kind, service, subject, observed, expected) => `${kind} in ${service}${subject ? `: ${subject}` : ''} (${observed} lines, ${expected} expected)`,
  cause: (kind, service, subject, verdict) => `${kind} in ${service}${subject ? `: ${subject}` : ''}${verdict ? `. Earlier verdict: ${verdict}` : ''}`,
  steps: {
    new_template: 'Read the new log lines and find the change that introduced them.',
    rate_spike: 'Find what drives the extra volume (traffic, retries, a loop) and throttle or fix it.',
    rate_drop: 'Check that the service is still running and receiving work.',
    error_share: 'Open the service errors of the incident window and fix the most frequent one.',
  },
  deploys: (service) => `Check recent deploys and configuration changes of ${service}.`,
  noIncident: 'I cannot find the incident evidence: the message has no readable <incident> block. Please send it as JSON inside <incident> and </incident>.',
};

const ZH: StoryTexts = {
  kind: { new_template: '新日志模板', rate_spike: '日志量激增', rate_drop: '日志量骤降', error_share: '错误占比上升' },
  title: (kind, service, others) => `${service} 出现${kind}${others > 0 ? `（另有 ${others} 个服务受影响）` : ''}`,
  summary: (signals, services, openedAt, updatedAt, first) =>
    `${openedAt} 至 ${updatedAt} 期间，${services} 共出现 ${signals} 个信号。最早的信号：${first}。`,
  event: (kind, service, subject, observed, expected) => `${service} 出现${kind}${subject ? `：${subject}` : ''}（${observed} 行，预期 ${expected} 行）`,
  cause: (kind, service, subject, verdict) => `${service} 出现${kind}${subject ? `：${subject}` : ''}${verdict ? `。此前的结论：${verdict}` : ''}`,
  steps: {
    new_template: '查看新出现的日志行，找出引入它们的变更。',
    rate_spike: '找出日志量增加的来源（流量、重试或循环），加以限流或修复。',
    rate_drop: '确认该服务仍在运行并在接收请求。',
    error_share: '查看事件期间该服务的错误日志，优先修复最频繁的错误。',
  },
  deploys: (service) => `检查 ${service} 最近的发布和配置变更。`,
  noIncident: '我在消息中找不到事件证据：没有可读取的 <incident> 块。请将其以 JSON 形式放在 <incident> 与 </incident> 之间。',
};

/** The sentence set for one output language. */
export function storyTextsFor(language: Language): StoryTexts {
  return language === 'zh-CN' ? ZH : EN;
}
