export { elasticsearchRoutes, type EsRoutesOptions } from './routes.js';
