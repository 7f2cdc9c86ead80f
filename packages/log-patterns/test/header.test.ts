import { describe, expect, it } from 'vitest';
import { headerLength, stripHeader } from '../src/index.js';
import { buildLine } from './factories.js';
import type { HeaderStyle } from './factories.js';

const message = 'Accepted password for alice from 10.1.2.3 port 22 ssh2';

describe('stripHeader', () => {
  const styles: HeaderStyle[] = ['iso', 'syslog', 'apache', 'pipe', 'spring'];
  for (const header of styles) {
    it(`removes a ${header} header`, () => {
      expect(stripHeader(buildLine({ header, message }))).toBe(message);
    });
  }

  it('removes varying thread names and levels alike', () => {
    const a = buildLine({ message, thread: 'IPC Server handler 7 on 8020', level: 'WARN' });
    const b = buildLine({ message, thread: 'main', level: 'INFO', second: 44 });
    expect(stripHeader(a)).toBe(message);
    expect(stripHeader(b)).toBe(message);
  });

  it('removes nested brackets such as [QuorumPeer[myid=1]/0:0:0:0:2181]', () => {
    const line = '2015-07-29 17:41:44,747 - INFO  [QuorumPeer[myid=1]/0:0:0:0:2181:Election@774] - Notification time out: 3200';
    expect(stripHeader(line)).toBe('Notification time out: 3200');
  });

  it('removes a numeric date, pid, level and class component', () => {
    const line = '081109 203615 148 INFO dfs.DataNode$PacketResponder: PacketResponder 1 for block terminating';
    expect(stripHeader(line)).toBe('PacketResponder 1 for block terminating');
  });

  it('removes syslog host and program without pid', () => {
    expect(stripHeader('Jun  9 06:06:20 combo kernel: Linux version 2.6.5')).toBe('Linux version 2.6.5');
  });

  it('leaves a message without header alone', () => {
    for (const m of [message, 'Error: disk full', '42 users online', '[preauth] closed']) {
      expect(headerLength(m)).toBe(0);
      expect(stripHeader(m)).toBe(m);
    }
  });

  it('does not take a capitalised first word for a level', () => {
    expect(stripHeader('2024-01-01 10:00:00 Error while reading config')).toBe('Error while reading config');
  });

  it('stops at the first component so the message keeps its own `key:` words', () => {
    const line = '17/06/09 20:10:40 INFO spark.SecurityManager: Changing view acls to: yarn,curi';
    expect(stripHeader(line)).toBe('Changing view acls to: yarn,curi');
  });
});
