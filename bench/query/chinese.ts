// Chinese log lines for bench/query: the shapes Chinese services write (no spaces between words,
// numbers and ids inline), per level, so a word search such as 数据库 has realistic hits and misses.
import type { Rand } from '../dashboard/data.js';

type Shape = (r: Rand) => { service: string; message: string };

const SHAPES: Record<string, Shape[]> = {
  info: [
    (r) => ({ service: 'checkout', message: `订单${r.int(100000, 999999)}已创建，金额${r.int(1, 5000)}元` }),
    (r) => ({ service: 'auth', message: `用户${r.int(1, 99999)}登录成功，来源IP 10.1.${r.int(0, 255)}.${r.int(0, 255)}` }),
    (r) => ({ service: 'search', message: `缓存刷新完成，共${r.int(1, 90000)}条记录，耗时${r.int(1, 900)}毫秒` }),
  ],
  debug: [(r) => ({ service: 'scheduler', message: `定时任务${r.int(1, 40)}开始执行，待处理${r.int(0, 30)}项` })],
  warn: [
    (r) => ({ service: 'billing', message: `支付网关响应缓慢：${r.int(1000, 9000)}毫秒` }),
    (r) => ({ service: 'inventory', message: `库存同步重试第${r.int(1, 5)}次` }),
  ],
  error: [
    (r) => ({ service: 'billing', message: `支付服务调用数据库连接超时，耗时${r.int(3000, 9000)}毫秒` }),
    (r) => ({ service: 'auth', message: `用户${r.int(1, 99999)}登录失败：密码错误` }),
    (r) => ({ service: 'inventory', message: `写入数据库失败：主键冲突 item_${r.int(1, 9999)}` }),
  ],
  fatal: [(r) => ({ service: 'scheduler', message: `进程${r.int(1, 64)}内存不足，已被终止` })],
};

/** A Chinese line of the given level (its service chosen with it, as real services have their wording). */
export function generateChinese(r: Rand, level: string): { service: string; message: string } {
  const shapes = SHAPES[level] ?? SHAPES.info!;
  return shapes[r.int(0, shapes.length - 1)]!(r);
}
