// Factories for incident story requests: state only what a test cares about (GUIDE §4.9).
import type { DescribeIncidentRequest, IncidentSignalInput } from '../src/incident-types.js';

/** One signal; defaults to an error spike in payment-api. */
export function buildSignal(over: Partial<IncidentSignalInput> = {}): IncidentSignalInput {
  return {
    kind: 'rate_spike',
    service: 'payment-api',
    template: 'charge <*> failed: upstream timed out',
    startedAt: '2026-01-02T03:04:00Z',
    observed: 240,
    expected: 6,
    samples: ['charge 81 failed: upstream timed out'],
    ...over,
  };
}

/** A story request for these signals (one default signal when none are given). */
export function buildIncident(signals: IncidentSignalInput[] = [buildSignal()], over: Partial<DescribeIncidentRequest> = {}): DescribeIncidentRequest {
  return { incidentId: 'inc_test1', openedAt: '2026-01-02T03:04:00Z', updatedAt: '2026-01-02T03:10:00Z', signals, ...over };
}
