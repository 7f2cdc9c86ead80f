/** Severity of an alert, highest first. */
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

/** What the alert engine hands over for delivery; text fields from the LLM or logs are untrusted. */
export interface AlertNotification {
  /** Unique per (alert, status, notification round); the outbox is unique on (channel_id, idempotency_key). */
  idempotencyKey: string;
  status: 'firing' | 'resolved';
  alertId: string;
  rule: { id: string; name: string };
  severity: Severity;
  /** Group labels: service, template, category, severity. */
  labels: Record<string, string>;
  /** Matching results in the alert so far. */
  count: number;
  /** ISO 8601. */
  firstSeen: string;
  lastSeen: string;
  /** LLM text: untrusted, escaped per channel. */
  summary: string;
  rootCause: string;
  suggestion: string;
  /** One log line: untrusted. */
  sampleMessage?: string;
  /** The analysis came from the demo stand-in: messages say so. */
  demo: boolean;
  /** The dashboard page the message links to, when it is not an alert's own (`/alerts/<alertId>`). */
  path?: string;
}

export type ChannelType = 'email' | 'dingtalk' | 'wecom' | 'feishu' | 'slack' | 'webhook';
export const CHANNEL_TYPES: ChannelType[] = ['email', 'dingtalk', 'wecom', 'feishu', 'slack', 'webhook'];
import type { Language } from '@logsage/contracts';

export type { Language };
export type DeliveryState = 'pending' | 'sending' | 'sent' | 'parked';
