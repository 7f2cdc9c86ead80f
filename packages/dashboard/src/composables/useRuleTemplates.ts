import { reactive, ref, shallowRef, watch } from 'vue';
import { getTemplate, listTemplates, type Template } from '../api/analysis';
import { ApiError } from '../api/http';

/** A template id as the miner makes them (16 hex digits): typed or pasted, it is looked up directly. */
const TEMPLATE_ID = /^[0-9a-f]{16}$/i;
const SEARCH_LIMIT = 20;

/**
 * The rule editor's template picker: a search over template text (`GET /templates?q=`), an id typed
 * as is, and the text of every chosen id (looked up once each), so a rule shows what it matches
 * instead of bare hashes. `text` holds null for an id the server does not know (expired, or a typo).
 */
export function useRuleTemplates(selected: () => string[]) {
  const results = shallowRef<Template[]>([]);
  const searching = ref(false);
  const searchError = ref<string | null>(null);
  const text = reactive(new Map<string, string | null>());
  let seq = 0;

  const remember = (list: Template[]): void => list.forEach((tpl) => text.set(tpl.id, tpl.template));

  async function byId(id: string): Promise<Template | null> {
    try {
      return await getTemplate(id);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }

  /** Searches templates containing `q` (the most frequent first); answers to older searches are dropped. */
  async function search(q: string): Promise<void> {
    const mine = ++seq;
    searching.value = true;
    searchError.value = null;
    try {
      const query = q.trim();
      const [page, exact] = await Promise.all([
        listTemplates({ q: query || undefined, limit: SEARCH_LIMIT, order: 'count' }),
        TEMPLATE_ID.test(query) ? byId(query.toLowerCase()) : Promise.resolve(null),
      ]);
      if (mine !== seq) return;
      const list = exact ? [exact, ...page.templates.filter((tpl) => tpl.id !== exact.id)] : page.templates;
      remember(list);
      results.value = list;
    } catch (err) {
      if (mine === seq) searchError.value = err instanceof Error ? err.message : String(err);
    } finally {
      if (mine === seq) searching.value = false;
    }
  }

  // The text of chosen ids not seen in a search (a stored rule's templates), one request each.
  watch(selected, (ids) => {
    for (const id of ids) {
      if (text.has(id)) continue;
      text.set(id, '');
      byId(id).then((tpl) => text.set(id, tpl ? tpl.template : null), () => text.delete(id));
    }
  }, { immediate: true });

  return { results, searching, searchError, text, search };
}
