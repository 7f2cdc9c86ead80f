import type { ActiveSignal, IncidentSeverity, SignalKind } from './types.js';

// The title an incident shows until its story names it (in the list, and in a notification sent
// before the story is written): its strongest signal's kind and its services, in the language of
// the analyses (ANALYSIS_LANGUAGE), as the story itself will be.

export type TitleLanguage = 'en' | 'zh-CN';

const RANK: Record<IncidentSeverity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

type Words = Record<SignalKind, (s: ActiveSignal) => string> & { incident: string; where: (services: string[]) => string; title: (what: string, where: string) => string };

const severe = (s: ActiveSignal): boolean => RANK[s.severity] >= RANK.high;
const WORDS: Record<TitleLanguage, Words> = {
  en: {
    new_template: (s) => (s.severity === 'critical' ? 'New fatal template' : s.severity === 'high' ? 'New error template' : s.severity === 'medium' ? 'New warning template' : 'New template'),
    rate_spike: (s) => (severe(s) ? 'Burst of errors' : 'Burst of lines'),
    rate_drop: () => 'Lines stopped',
    error_share: () => 'Error share up',
    incident: 'Incident',
    where: (s) => (s.length <= 3 ? s.join(', ') : `${s.slice(0, 3).join(', ')} and ${s.length - 3} more`),
    title: (what, where) => `${what} in ${where}`,
  },
  'zh-CN': {
    new_template: (s) => (s.severity === 'critical' ? '新的致命错误日志' : s.severity === 'high' ? '新的错误日志' : s.severity === 'medium' ? '新的告警日志' : '新的日志模板'),
    rate_spike: (s) => (severe(s) ? '错误日志突增' : '日志量突增'),
    rate_drop: () => '日志中断',
    error_share: () => '错误占比上升',
    incident: '故障',
    where: (s) => (s.length <= 3 ? s.join('、') : `${s.slice(0, 3).join('、')} 等 ${s.length} 个服务`),
    title: (what, where) => `${where}：${what}`,
  },
};

/** "New error template in payment-api" / "payment-api：新的错误日志": the strongest signal's kind and the services (three named at most). */
export function incidentTitle(signals: ActiveSignal[], services: string[], language: TitleLanguage = 'en'): string {
  const w = WORDS[language];
  const top = [...signals].sort((a, b) => RANK[b.severity] - RANK[a.severity] || b.score - a.score || a.startedMs - b.startedMs)[0];
  return w.title(top ? w[top.kind](top) : w.incident, w.where(services));
}
