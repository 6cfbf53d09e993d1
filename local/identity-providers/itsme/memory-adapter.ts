/**
 * oidc-provider storage in memory, one store per provider instance: the sandbox's itsme forgets its
 * sessions and codes on restart, which is what a local test IdP should do. Expired entries are dropped
 * when read and swept when written, so a long-running sandbox does not grow without bound.
 */
import type { Adapter, AdapterFactory, AdapterPayload } from 'oidc-provider';

interface Entry {
  payload: AdapterPayload;
  /** Epoch milliseconds; undefined for entries without expiry. */
  expiresAt: number | undefined;
}

/** An adapter factory whose models share one in-memory store. */
export function memoryAdapter(now: () => number = Date.now): AdapterFactory {
  const entries = new Map<string, Entry>();
  const sessionsByUid = new Map<string, string>();
  const idsByGrant = new Map<string, Set<string>>();

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = () => {
    for (const key of entries.keys()) live(key);
  };

  return (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        if (entries.size > 1000) sweep();
        const key = keyOf(id);
        entries.set(key, {
          payload: { ...payload },
          expiresAt: expiresIn ? now() + expiresIn * 1000 : undefined,
        });
        if (model === 'Session' && payload.uid) sessionsByUid.set(payload.uid, id);
        if (payload.grantId) {
          const ids = idsByGrant.get(payload.grantId) ?? new Set<string>();
          ids.add(key);
          idsByGrant.set(payload.grantId, ids);
        }
      },
      async find(id) {
        const entry = live(keyOf(id));
        return entry ? { ...entry.payload } : undefined;
      },
      async findByUid(uid) {
        const id = sessionsByUid.get(uid);
        const entry = id === undefined ? undefined : live(keyOf(id));
        return entry ? { ...entry.payload } : undefined;
      },
      async findByUserCode() {
        // Only the device flow looks entries up by user code; the local itsme does not enable it.
        return undefined;
      },
      async consume(id) {
        const entry = live(keyOf(id));
        if (entry) entry.payload.consumed = Math.floor(now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of idsByGrant.get(grantId) ?? []) entries.delete(key);
        idsByGrant.delete(grantId);
      },
    };
  };
}
