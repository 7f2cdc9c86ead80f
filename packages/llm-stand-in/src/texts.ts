// The fixed sentences the deterministic analysis is assembled from, per language.
import type { Category, Language, Severity } from './types.js';

interface CategoryText {
  rootCause: string;
  suggestion: string;
}

interface LanguageTexts {
  severity: Record<Severity, string>;
  category: Record<Category, string>;
  explain: Record<Category, CategoryText>;
  summary(severity: string, category: string, service: string, excerpt: string, anomaly: boolean): string;
  unknownService: string;
  noLogs: string;
}

const EN: LanguageTexts = {
  severity: { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' },
  category: {
    database: 'database',
    network: 'network',
    security: 'security',
    performance: 'performance',
    resource: 'resource',
    application: 'application',
    configuration: 'configuration',
    hardware: 'hardware',
    other: 'other',
  },
  explain: {
    database: {
      rootCause: 'The database rejected or could not complete the operation.',
      suggestion: 'Check database availability, connection pool limits and slow or locked queries.',
    },
    network: {
      rootCause: 'A network peer could not be reached or did not answer in time.',
      suggestion: 'Check that the remote service is up, and verify DNS, firewall rules and timeouts.',
    },
    security: {
      rootCause: 'An authentication or authorisation check failed.',
      suggestion: 'Review the credentials in use and look for repeated failures from the same source.',
    },
    performance: {
      rootCause: 'An operation took longer than expected.',
      suggestion: 'Profile the slow path and compare its latency with the recent baseline.',
    },
    resource: {
      rootCause: 'A system resource such as memory, disk or CPU is exhausted or near its limit.',
      suggestion: 'Free or add capacity and check for leaks or runaway consumers.',
    },
    application: {
      rootCause: 'The application reported an error while handling work.',
      suggestion: 'Inspect the stack trace and recent deployments of the service.',
    },
    configuration: {
      rootCause: 'A configuration value is missing or invalid.',
      suggestion: 'Compare the running configuration with the expected settings and redeploy it.',
    },
    hardware: {
      rootCause: 'The hardware reported a fault or an out-of-range reading.',
      suggestion: 'Check the hardware health sensors and schedule maintenance for the host.',
    },
    other: {
      rootCause: 'Routine activity; nothing points to a fault.',
      suggestion: 'No action needed.',
    },
  },
  summary: (severity, category, service, excerpt, anomaly) =>
    `${severity} ${category} ${anomaly ? 'issue' : 'event'} in ${service}: ${excerpt}`,
  unknownService: 'unknown service',
  noLogs: 'I cannot find any logs to analyse: the message has no readable <logs> block. Please send the logs as a JSON array inside <logs> and </logs>.',
};

const ZH: LanguageTexts = {
  severity: { critical: '严重', high: '高', medium: '中', low: '低', info: '信息' },
  category: {
    database: '数据库',
    network: '网络',
    security: '安全',
    performance: '性能',
    resource: '资源',
    application: '应用',
    configuration: '配置',
    hardware: '硬件',
    other: '其他',
  },
  explain: {
    database: { rootCause: '数据库拒绝了该操作或未能完成该操作。', suggestion: '检查数据库可用性、连接池上限以及慢查询或锁等待。' },
    network: { rootCause: '无法连接网络对端，或对端未在规定时间内响应。', suggestion: '确认远端服务正常运行，并检查 DNS、防火墙规则和超时设置。' },
    security: { rootCause: '身份认证或权限校验失败。', suggestion: '核对所用凭据，并排查同一来源的重复失败。' },
    performance: { rootCause: '操作耗时超出预期。', suggestion: '分析慢路径，并与近期的延迟基线进行比较。' },
    resource: { rootCause: '内存、磁盘或 CPU 等系统资源已耗尽或接近上限。', suggestion: '释放或扩充容量，并排查资源泄漏或异常占用。' },
    application: { rootCause: '应用在处理任务时报告了错误。', suggestion: '查看错误堆栈以及该服务最近的发布记录。' },
    configuration: { rootCause: '某项配置缺失或无效。', suggestion: '将运行中的配置与预期设置对比后重新部署。' },
    hardware: { rootCause: '硬件报告了故障或超出范围的读数。', suggestion: '检查该主机的硬件健康传感器并安排维护。' },
    other: { rootCause: '常规活动，未发现故障迹象。', suggestion: '无需处理。' },
  },
  summary: (severity, category, service, excerpt, anomaly) =>
    anomaly ? `${service} 出现${severity}级${category}问题：${excerpt}` : `${service} 的${category}事件（${severity}级）：${excerpt}`,
  unknownService: '未知服务',
  noLogs: '我在消息中找不到可分析的日志：没有可读取的 <logs> 块。请将日志以 JSON 数组的形式放在 <logs> 与 </logs> 之间。',
};

/** The sentence set for one output language. */
export function textsFor(language: Language): LanguageTexts {
  return language === 'zh-CN' ? ZH : EN;
}
