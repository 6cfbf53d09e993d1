/**
 * What a person asked for in this tab, kept in sessionStorage per person (the API has no "my
 * registrations" list): the newest first, at most 10.
 */
export interface TabMemory<T extends { registrationId: string }> {
  /** The person's remembered registrations (none when storage holds nothing readable). */
  list(personId: string): T[];
  /** Puts `registration` first, replacing an older entry of the same id. */
  remember(personId: string, registration: T): void;
}

/** A {@link TabMemory} under the sessionStorage keys `<prefix><personId>`. */
export function tabMemory<T extends { registrationId: string }>(prefix: string): TabMemory<T> {
  const list = (personId: string): T[] => {
    try {
      return JSON.parse(sessionStorage.getItem(prefix + personId) ?? '[]') as T[];
    } catch {
      return [];
    }
  };
  return {
    list,
    remember(personId, registration) {
      const next = [
        registration,
        ...list(personId).filter((r) => r.registrationId !== registration.registrationId),
      ];
      sessionStorage.setItem(prefix + personId, JSON.stringify(next.slice(0, 10)));
    },
  };
}
