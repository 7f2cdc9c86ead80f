// Validation of an analysis request at the boundary (GUIDE §4.4). A bad request fails with
// 'invalid' (INVALID_ARGUMENT), which tells the worker that retrying cannot help.
import { AnalysisError } from './errors.js';
import type { AnalyzeRequest } from './types.js';

/** Bounds on one request; the worker trims or splits its batches to fit. */
export const REQUEST_LIMITS = {
  maxLogs: 100,
  maxIdChars: 200,
  maxMessageChars: 16_384,
  maxTemplateChars: 16_384,
  maxAttributes: 64,
  maxAttributeChars: 4096,
} as const;

const invalid = (message: string): AnalysisError => new AnalysisError('invalid', message);

/** Throws AnalysisError('invalid') when the request breaks the contract. */
export function validateRequest(request: AnalyzeRequest): void {
  const L = REQUEST_LIMITS;
  if (request.logs.length === 0) throw invalid('empty batch: logs must hold at least one entry');
  if (request.logs.length > L.maxLogs) throw invalid(`too many logs: ${request.logs.length} > ${L.maxLogs}`);
  if (request.language && request.language !== 'zh-CN' && request.language !== 'en') {
    throw invalid(`unknown language "${String(request.language)}": use zh-CN or en`);
  }
  const seen = new Set<string>();
  request.logs.forEach((log, i) => {
    if (!log.id) throw invalid(`logs[${i}]: missing id`);
    if (log.id.length > L.maxIdChars) throw invalid(`logs[${i}]: id longer than ${L.maxIdChars} characters`);
    if (seen.has(log.id)) throw invalid(`logs[${i}]: duplicate id "${log.id}"`);
    seen.add(log.id);
    if (log.message.length > L.maxMessageChars) {
      throw invalid(`logs[${i}]: message of ${log.message.length} characters exceeds ${L.maxMessageChars}`);
    }
    if ((log.template ?? '').length > L.maxTemplateChars) {
      throw invalid(`logs[${i}]: template exceeds ${L.maxTemplateChars} characters`);
    }
    const attrs = Object.entries(log.attributes ?? {});
    if (attrs.length > L.maxAttributes) throw invalid(`logs[${i}]: more than ${L.maxAttributes} attributes`);
    for (const [key, value] of attrs) {
      if (key.length + value.length > L.maxAttributeChars) {
        throw invalid(`logs[${i}]: attribute "${key.slice(0, 50)}" exceeds ${L.maxAttributeChars} characters`);
      }
    }
  });
}
