import { computed, nextTick, onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';

// A windowed list: only the rows in view (plus a margin) are in the DOM, so 20,000 rows scroll
// as smoothly as 50. Rows have one fixed height, which keeps the arithmetic exact.

/** The slice [start, end) of `count` rows to render for this scroll position. */
export function visibleWindow(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan = 8): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(count, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}

/**
 * Where to scroll after the rows changed so the row at the top of the view stays there: rows
 * merged in above it (a poll) must not push what the user reads out of view. Undefined: no change.
 */
export function anchoredScroll<T extends { id: string }>(before: T[], after: T[], scrollTop: number, rowHeight: number): { scrollTop: number; shift: number } | undefined {
  // At the very top the view follows the newest rows, like a tail.
  if (scrollTop <= 0 || before.length === 0) return undefined;
  const index = Math.floor(scrollTop / rowHeight);
  const anchor = before[index];
  if (!anchor) return undefined;
  const moved = after.findIndex((r) => r.id === anchor.id);
  if (moved < 0 || moved === index) return undefined;
  return { scrollTop: moved * rowHeight + (scrollTop - index * rowHeight), shift: moved - index };
}

/** Scroll state and the rendered slice of `rows` inside the `scroller` element. */
export function useLogsWindow<T extends { id: string }>(rows: () => T[], scroller: Ref<HTMLElement | null>, rowHeight: number) {
  const scrollTop = ref(0);
  const viewport = ref(600);
  /** Rows merged in above the view since the user scrolled away from the top. */
  const newAbove = ref(0);
  const slice = computed(() => visibleWindow(scrollTop.value, viewport.value, rowHeight, rows().length));

  function onScroll(): void {
    scrollTop.value = scroller.value?.scrollTop ?? 0;
    if (scrollTop.value < rowHeight) newAbove.value = 0;
  }
  function toTop(): void {
    if (scroller.value) scroller.value.scrollTop = 0;
    scrollTop.value = 0;
    newAbove.value = 0;
  }
  watch(rows, (after, before) => {
    const el = scroller.value;
    if (!el) return;
    if (after.length === 0) return toTop();
    const next = anchoredScroll(before, after, el.scrollTop, rowHeight);
    if (!next) return;
    if (next.shift > 0) newAbove.value += next.shift;
    // After the render, or the browser clamps the position to the old, shorter height.
    void nextTick(() => {
      el.scrollTop = next.scrollTop;
      scrollTop.value = el.scrollTop;
    });
  });

  let observer: ResizeObserver | undefined;
  const measure = (): void => void (viewport.value = scroller.value?.clientHeight || 600);
  onMounted(() => {
    measure();
    if (!scroller.value) return;
    observer = new ResizeObserver(measure);
    observer.observe(scroller.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return { slice, newAbove, onScroll, toTop };
}
