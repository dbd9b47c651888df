import { useEffect, useState } from "react";

/** How long typing must pause before a search box asks the server (one request per pause). */
export const SEARCH_DEBOUNCE_MS = 300;

/**
 * `value` once it has stopped changing for `delayMs`: search boxes pass their text through this,
 * so typing a 20-character name sends one request rather than twenty. (A request still in flight
 * when the text changes again is cancelled by its query's signal.)
 */
export function useDebouncedValue<T>(value: T, delayMs = SEARCH_DEBOUNCE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, settled, delayMs]);
  return settled;
}
