import type { Adapter, AdapterFactory, AdapterPayload } from "oidc-provider";

/**
 * The development realm's storage: sessions, grants, codes and tokens in memory, one store per
 * realm instance (two realms in one process never see each other's tokens). Entries expire on
 * read; a sweep on write keeps a long-running realm from growing without bound.
 */
interface Entry {
  payload: AdapterPayload;
  expiresAt: number;
}

export interface MemoryStore {
  adapter: AdapterFactory;
  /** The live session holding `sid` for a client (logout by id_token_hint, userinfo liveness). */
  sessionFor(clientId: string, sid: string): AdapterPayload | undefined;
}

const SWEEP_EVERY = 500;

export function createMemoryStore(): MemoryStore {
  const entries = new Map<string, Entry>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();
  let writes = 0;

  /** Removes an entry and every index pointing at it. */
  const drop = (key: string) => {
    const payload = entries.get(key)?.payload;
    entries.delete(key);
    if (!payload) return;
    const id = key.slice(key.indexOf(":") + 1);
    if (payload.uid && byUid.get(payload.uid) === id) byUid.delete(payload.uid);
    if (payload.userCode && byUserCode.get(payload.userCode) === id) byUserCode.delete(payload.userCode);
    if (payload.grantId) {
      const members = byGrant.get(payload.grantId);
      members?.delete(key);
      if (members?.size === 0) byGrant.delete(payload.grantId);
    }
  };

  const live = (key: string): AdapterPayload | undefined => {
    const entry = entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      drop(key);
      return undefined;
    }
    return entry.payload;
  };

  const sweep = () => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) drop(key);
  };

  class StoreAdapter implements Adapter {
    constructor(private readonly model: string) {}

    private key(id: string) {
      return `${this.model}:${id}`;
    }

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number) {
      const key = this.key(id);
      drop(key);
      entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : Infinity });
      if (this.model === "Session" && payload.uid) byUid.set(payload.uid, id);
      if (payload.userCode) byUserCode.set(payload.userCode, id);
      if (payload.grantId) {
        const members = byGrant.get(payload.grantId) ?? new Set<string>();
        members.add(key);
        byGrant.set(payload.grantId, members);
      }
      if (++writes % SWEEP_EVERY === 0) sweep();
    }

    async find(id: string) {
      return live(this.key(id));
    }

    async findByUid(uid: string) {
      const id = byUid.get(uid);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode(userCode: string) {
      const id = byUserCode.get(userCode);
      return id === undefined ? undefined : this.find(id);
    }

    async consume(id: string) {
      const payload = live(this.key(id));
      if (payload) payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id: string) {
      drop(this.key(id));
    }

    async revokeByGrantId(grantId: string) {
      for (const key of [...(byGrant.get(grantId) ?? [])]) drop(key);
      byGrant.delete(grantId);
    }
  }

  return {
    adapter: (model) => new StoreAdapter(model),
    sessionFor(clientId, sid) {
      for (const key of entries.keys()) {
        if (!key.startsWith("Session:")) continue;
        const payload = live(key);
        const authorizations = payload?.authorizations as Record<string, { sid?: string }> | undefined;
        if (authorizations?.[clientId]?.sid === sid) return payload;
      }
      return undefined;
    },
  };
}
