export { createQueryService, type QueryService } from './service.js';
export { queryRoutes } from './routes.js';
export { serviceErrorSamples, serviceFirstSeen, serviceMinuteCounts, type ServiceMinuteCount } from './repo-service-minutes.js';
