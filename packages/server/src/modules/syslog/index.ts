export { startSyslog, allowList, type SyslogConfig, type SyslogDeps, type SyslogReceiver } from './server.js';
export { parseSyslog, type SyslogEntry, type ParseOptions } from './parse.js';
export { SyslogFramer } from './framing.js';
