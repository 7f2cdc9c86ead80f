// Strings of the LLM tab's budget card and per-service cost table (/settings/llm).
export default {
  en: {
    llmCost: {
      budget: {
        title: 'Daily budget (UTC day)',
        tokens: 'Tokens today',
        cost: 'Cost today',
        none: 'no limit',
        remaining: '{n} left',
        unpriced: 'Models without a price',
        reached: { tokens: 'token budget reached', cost: 'cost budget reached' },
        resumes: 'New LLM batches wait until {at} or a raised budget; logs whose template has a verdict still get it, the rest stay pending. Nothing is lost.',
        hint: 'Set with LLM_DAILY_TOKEN_BUDGET and LLM_DAILY_COST_BUDGET; prices from LLM_PRICES over built-in list prices (check your provider\'s price list).',
      },
      table: {
        title: 'Cost per day and service, last 14 days (UTC)',
        empty: 'No LLM usage by service in the last 14 days',
        day: 'Day',
        service: 'Service',
        entries: 'Entries sent',
        tokens: 'Tokens',
        cost: 'Cost',
        noService: '(none)',
        unpricedHint: 'part of these tokens are of a model without a price: not counted in the cost',
      },
    },
  },
  'zh-CN': {
    llmCost: {
      budget: {
        title: '每日预算（UTC 日）',
        tokens: '今日 Token',
        cost: '今日费用',
        none: '不限',
        remaining: '剩余 {n}',
        unpriced: '没有价格的模型',
        reached: { tokens: 'Token 预算已用完', cost: '费用预算已用完' },
        resumes: '新的大模型批次将等待至 {at} 或预算提高；模板已有结论的日志照常得到分析，其余保持待分析，不会丢失。',
        hint: '通过 LLM_DAILY_TOKEN_BUDGET 和 LLM_DAILY_COST_BUDGET 设置；价格取自 LLM_PRICES，未设置的使用内置标价（请以服务商价目表为准）。',
      },
      table: {
        title: '近 14 天每日各服务费用（UTC）',
        empty: '近 14 天没有按服务统计的大模型用量',
        day: '日期',
        service: '服务',
        entries: '发送条目',
        tokens: 'Token',
        cost: '费用',
        noService: '（无）',
        unpricedHint: '其中部分 Token 来自没有价格的模型，未计入费用',
      },
    },
  },
};
