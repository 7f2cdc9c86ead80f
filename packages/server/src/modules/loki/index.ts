export { lokiRoutes, type LokiRoutesOptions } from './routes.js';
