export { startLogSage, createLogger, type Running, type Role } from './main.js';
export { parseConfig, CONFIG_SPEC, type Config } from './config/index.js';
