import { describe, expect, it } from 'vitest';
import {
  AnalysisServiceService,
  AnalyzeLogsRequest,
  AnalyzeLogsResponse,
  AnalysisStatus,
  DescribeIncidentRequest,
  DescribeIncidentResponse,
  Severity,
  SignalKind,
} from '../src/index.js';

describe('generated contract', () => {
  it('round-trips a request with attributes and a large occurrence count', () => {
    const request = AnalyzeLogsRequest.fromPartial({
      logs: [{ id: 'a', message: 'disk full <x>', occurrences: 2 ** 40, attributes: { host: 'web-01' } }],
      language: 'en',
      requestId: 'r1',
    });
    const decoded = AnalyzeLogsRequest.decode(AnalyzeLogsRequest.encode(request).finish());
    expect(decoded).toEqual(request);
    expect(decoded.logs[0]?.occurrences).toBe(2 ** 40);
  });

  it('round-trips a response with enums and usage', () => {
    const response = AnalyzeLogsResponse.fromPartial({
      results: [{ logId: 'a', severity: Severity.SEVERITY_HIGH, anomalyScore: 0.5 }],
      status: AnalysisStatus.ANALYSIS_STATUS_PARTIAL,
      usage: { promptTokens: 3, completionTokens: 4, reasoningTokens: 5 },
      llmCalls: 2,
    });
    expect(AnalyzeLogsResponse.decode(AnalyzeLogsResponse.encode(response).finish())).toEqual(response);
  });

  it('names the service methods by their full gRPC paths', () => {
    expect(AnalysisServiceService.analyzeLogs.path).toBe('/logsage.v1.AnalysisService/AnalyzeLogs');
    expect(AnalysisServiceService.getStatus.path).toBe('/logsage.v1.AnalysisService/GetStatus');
    expect(AnalysisServiceService.describeIncident.path).toBe('/logsage.v1.AnalysisService/DescribeIncident');
  });

  it('round-trips an incident request and story, keeping an absent verdict absent', () => {
    const request = DescribeIncidentRequest.fromPartial({
      incidentId: 'inc_1',
      signals: [
        { kind: SignalKind.SIGNAL_KIND_RATE_SPIKE, service: 'api', observed: 120, expected: 7.5, samples: ['a', 'b'], verdict: { summary: 's', severity: Severity.SEVERITY_HIGH } },
        { kind: SignalKind.SIGNAL_KIND_ERROR_SHARE, service: 'db' },
      ],
    });
    const decoded = DescribeIncidentRequest.decode(DescribeIncidentRequest.encode(request).finish());
    expect(decoded).toEqual(request);
    expect(decoded.signals[1]?.verdict).toBeUndefined();
    const response = DescribeIncidentResponse.fromPartial({
      story: { title: 't', timeline: [{ at: '2026-01-01T00:00:00Z', text: 'x' }], affectedServices: ['api'], severity: Severity.SEVERITY_CRITICAL, confidence: 0.7 },
      llmCalls: 1,
    });
    expect(DescribeIncidentResponse.decode(DescribeIncidentResponse.encode(response).finish())).toEqual(response);
  });
});
