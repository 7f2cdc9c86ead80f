import { describe, expect, it } from 'vitest';
import { analyseLog, keyParamsOf } from '../src/index.js';

describe('key_params rule', () => {
  it.each([
    ['retry <*> of request <*> to <*> failed', [2]],
    ['request <*> failed status=<*>', [1]],
    ['process exited with exit code <*>', [0]],
    ['Retrying connect to server: <*> Already tried <*> time(s)', [0]],
    ['Failed password for <*> from <*> port <*>', [1]],
    ['connect to <*>:<*> refused after <*> attempts', [0, 1]],
    ['worker <*> finished job <*> in <*> ms', []],
    ['no slots to anything', []],
  ])('%s gives %j', (template, expected) => {
    expect(keyParamsOf(template)).toEqual(expected);
  });

  it('names key params only for a parameter-dependent verdict', () => {
    const template = 'retry <*> of request <*> to <*> failed';
    expect(analyseLog({ level: 'warn', message: 'retry 12 of request 1003 to host-a failed', template }, 'en')).toMatchObject({ parameter_dependent: true, key_params: [2] });
    expect(analyseLog({ level: 'warn', message: 'call 12 of request 1003 to host-a failed', template: 'call <*> of request <*> to <*> failed' }, 'en'))
      .toMatchObject({ parameter_dependent: false, key_params: [] });
    expect(analyseLog({ level: 'info', message: 'retry 3 to host-a', template: 'retry 3 to <*>' }, 'en')).toMatchObject({ parameter_dependent: false, key_params: [] });
    const after = 'Connection to db-<*> refused after <*> retries';
    expect(analyseLog({ level: 'error', message: 'Connection to db-1 refused after 3 retries', template: after }, 'en').parameter_dependent).toBe(false);
  });

  it('treats a running retry count as parameter-dependent; every value counts when no slot names a peer', () => {
    const template = 'Already tried <*> time(s) on <*>';
    expect(analyseLog({ level: 'info', message: 'Already tried 5 time(s) on node-1', template }, 'en')).toMatchObject({ parameter_dependent: true, key_params: [] });
    expect(analyseLog({ level: 'info', message: 'message repeated 2 times', template: 'message repeated <*> times' }, 'en').parameter_dependent).toBe(false);
  });
});
