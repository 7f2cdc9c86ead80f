export { createQueryService, type QueryService } from './service.js';
export { queryRoutes } from './routes.js';
