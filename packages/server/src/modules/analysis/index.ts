export { createAnalysisService, type AnalysisService } from './service.js';
export { analysisRoutes } from './routes.js';
export { startAnalysisWorker, type AnalysisWorker } from './worker.js';
export { messageKey, valuesKey } from './verdict-key.js';
export { grpcAiBackend } from './ai-client.js';
export { type AiBackend, type AiAnswer, type AiLogItem, type AiStatus, type AiVerdict, type AnalysisSettings, type Severity } from './types.js';
export { registerAnalysisMetrics } from './metrics.js';
export { pruneAnalysis } from './repo-reconcile.js';
export { budgetSettings, createBudgetGate, type BudgetSettings } from './budget.js';
