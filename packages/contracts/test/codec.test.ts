import { describe, expect, it } from 'vitest';
import { AnalysisServiceService, AnalyzeLogsRequest, AnalyzeLogsResponse, AnalysisStatus, Severity } from '../src/index.js';

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
  });
});
