/**
 * Status pages that follow a request by themselves while someone else may act on it (a BIS agent, a
 * security officer): no "Refresh" needed, no calls from a hidden tab, none once the status is final.
 */
import { useEffect, useRef } from 'preact/hooks';

/**
 * Calls `poll` every `intervalMs` while `active` and the tab is visible, and once at once when the
 * tab becomes visible again; stops when `active` turns false (a final status) or the page closes.
 */
export function usePollWhile(active: boolean, poll: () => void, intervalMs: number): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    if (!active) return;
    let timer: number | undefined;
    const schedule = () => {
      window.clearInterval(timer);
      timer =
        document.visibilityState === 'visible'
          ? window.setInterval(() => latest.current(), intervalMs)
          : undefined;
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') latest.current();
      schedule();
    };
    schedule();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [active, intervalMs]);
}
