// Strings of the incidents list and page (/incidents, /incidents/:id) and the overview's incidents
// card. Each key holds its English and its Chinese side by side ([en, zh-CN]), so neither language
// can be left behind. Values from the server (titles, templates, services) are always passed as
// message values, never written into a message.
type Pairs = { [k: string]: readonly [string, string] | Pairs };
type Tree = { [k: string]: string | Tree };

function split(p: Pairs, lang: 0 | 1): Tree {
  const out: Tree = {};
  for (const [k, v] of Object.entries(p)) out[k] = Array.isArray(v) ? (v as readonly [string, string])[lang] : split(v as Pairs, lang);
  return out;
}

const pairs: Pairs = {
  incidents: {
    title: ['Incidents', '故障'],
    subtitle: ['What changed in the logs: new error lines, rates far from normal, error share up', '日志中的异常变化：新出现的错误日志、偏离常态的日志量、错误占比上升'],
    detailTitle: ['Incident {id}', '故障 {id}'],
    back: ['Incidents', '故障'],
    updated: ['updated {time}', '更新于 {time}'],
    state: { open: ['Open', '进行中'], resolved: ['Resolved', '已恢复'], all: ['All', '全部'] },
    filter: { state: ['State', '状态'], service: ['Service', '服务'], anyService: ['All services', '全部服务'] },
    empty: {
      open: ['No open incidents: nothing unusual in the logs right now.', '当前没有进行中的故障，日志一切正常。'],
      resolved: ['No resolved incidents', '暂无已恢复的故障'],
      all: ['No incidents yet', '暂无故障'],
    },
    loadMore: ['Load more', '加载更多'],
    shown: ['{n} shown', '已显示 {n} 条'],
    col: {
      severity: ['Severity', '严重级别'],
      state: ['State', '状态'],
      title: ['Incident', '故障'],
      services: ['Services', '涉及服务'],
      signals: ['Signals', '信号'],
      opened: ['Opened', '开始'],
      updated: ['Updated', '最近更新'],
      story: ['Story', '故障分析'],
    },
    storyState: {
      none: ['No story', '未分析'],
      due: ['Story pending', '分析中'],
      written: ['Story written', '已分析'],
      failed: ['Story failed', '分析失败'],
    },
    kind: {
      new_template: ['New template', '新日志模板'],
      rate_spike: ['Rate spike', '日志量激增'],
      rate_drop: ['Rate drop', '日志量骤降'],
      error_share: ['Error share up', '错误占比上升'],
    },
    kindHelp: {
      new_template: ['A line never seen before in this service', '该服务此前从未出现过的日志'],
      rate_spike: ['Far more lines of this template than normal', '该模板的日志量远高于常态'],
      rate_drop: ['Far fewer lines of this template than normal', '该模板的日志量远低于常态'],
      error_share: ['A larger share of the service’s lines are errors', '该服务日志中错误日志的占比明显上升'],
    },
    header: {
      opened: ['Opened', '开始时间'],
      lastSignal: ['Last signal', '最近信号'],
      resolved: ['Resolved', '恢复时间'],
      duration: ['Duration', '持续时长'],
      ongoing: ['ongoing', '仍在进行'],
      signals: ['Signals', '信号数'],
      services: ['Services', '涉及服务'],
      minutes: ['{n} min', '{n} 分钟'],
      hours: ['{h} h {m} min', '{h} 小时 {m} 分钟'],
    },
    story: {
      title: ['What happened', '故障分析'],
      summary: ['Summary', '概述'],
      firstCause: ['First cause', '最初原因'],
      timeline: ['Timeline', '时间线'],
      affected: ['Affected services', '受影响服务'],
      nextSteps: ['Next steps', '建议操作'],
      confidence: ['Confidence {pct}', '置信度 {pct}'],
      model: ['Written by {model}', '由 {model} 生成'],
      writtenAt: ['{time}', '{time}'],
      due: ['The model is writing the story of this incident…', '模型正在分析本次故障…'],
      dueHint: ['The signals, counts and logs below are complete already; the story appears here once written.', '下方的信号、日志量和样本日志已完整可查，分析结果生成后会显示在这里。'],
      failed: ['The story could not be written.', '故障分析生成失败。'],
      failedHint: ['The model failed to answer after several attempts (see History). The signals below are the evidence.', '模型多次尝试均未成功（见处理记录），下方信号即为全部证据。'],
      none: ['No story was asked for this incident.', '本次故障未请求模型分析。'],
      noneHint: ['The signals below are the evidence.', '下方信号即为全部证据。'],
    },
    chart: {
      title: ['Lines per minute', '每分钟日志量'],
      sub: ['one line per template; dashed: a signal started; shaded: while open', '每条曲线对应一个模板；虚线为信号开始时间，阴影为故障持续期间'],
      open: ['open', '故障期间'],
      resolved: ['resolved', '已恢复'],
      empty: ['No per-minute counts for this incident', '本次故障没有逐分钟的日志量数据'],
      label: ['Lines per minute of each template of the incident', '本次故障各模板的每分钟日志量'],
    },
    signals: {
      title: ['Signals', '信号'],
      kind: ['Signal', '信号类型'],
      service: ['Service', '服务'],
      template: ['Template', '日志模板'],
      observed: ['Observed', '实际'],
      expected: ['Expected', '预期'],
      baseline: ['Baseline', '基线'],
      started: ['Started', '开始'],
      ended: ['Ended', '结束'],
      ongoing: ['ongoing', '持续中'],
      serviceWide: ['all error lines of the service', '该服务的全部错误日志'],
      times: ['×{n}', '×{n}'],
      empty: ['No signals', '暂无信号'],
    },
    samples: {
      title: ['Sample logs', '样本日志'],
      hint: ['up to 3 per template, newest first', '每个模板最多 3 条，最新的在前'],
      empty: ['No sample logs (they may have expired).', '暂无样本日志（可能已过期清理）。'],
    },
    history: {
      title: ['History', '处理记录'],
      empty: ['No events recorded', '暂无记录'],
      event: {
        opened: ['Opened', '故障开始'],
        grew: ['Grew', '范围扩大'],
        story: ['Story written', '分析完成'],
        story_failed: ['Story failed', '分析失败'],
        resolved: ['Resolved', '已恢复'],
      },
      key: {
        signals: ['signals', '信号'],
        signal_ids: ['signals', '信号'],
        services: ['services', '服务'],
        service: ['service', '服务'],
        kind: ['signal', '信号类型'],
        model: ['model', '模型'],
        attempts: ['attempts', '尝试次数'],
        error: ['error', '错误'],
        title: ['title', '标题'],
        severity: ['severity', '严重级别'],
        signal_count: ['signals', '信号'],
        story: ['story no.', '分析序号'],
        demo: ['demo', '演示'],
      },
    },
    notFound: {
      title: ['No incident {id}', '故障 {id} 不存在'],
      text: ['It may have been removed, or the link is wrong.', '它可能已被清理，或链接有误。'],
      back: ['Back to incidents', '返回故障列表'],
    },
    overview: {
      title: ['Open incidents', '进行中的故障'],
      empty: ['No open incidents', '当前没有进行中的故障'],
      more: ['All incidents', '全部故障'],
      signals: ['{n} signal | {n} signals', '{n} 个信号'],
    },
    nav: { open: ['{n} open incidents', '{n} 个进行中的故障'] },
  },
};

export default { en: split(pairs, 0), 'zh-CN': split(pairs, 1) };
