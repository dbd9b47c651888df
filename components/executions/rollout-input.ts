import type { RolloutRequest, WaveSpec } from "@/server/domain/rollouts";

/**
 * What an operator types for a waved rollout, turned into the request's `rollout`. Pure, so the
 * words the dialog accepts are tested without a browser.
 *
 *  - canaries: tenant ids and tags, separated by commas or spaces (a UUID is an id, anything else a tag);
 *  - waves: "10%, 50%, rest" — a percentage of the non-canary tenants, a count ("25"), or "rest";
 *  - soak: seconds between waves; halt: at most this many failed targets / this % of a wave (blank: the console's default).
 */
export interface RolloutForm {
  canaries: string;
  waves: string;
  soakSeconds: string;
  maxFailedTargets: string;
  maxFailedPercent: string;
}

export const EMPTY_ROLLOUT_FORM: RolloutForm = { canaries: "", waves: "10%, 50%, rest", soakSeconds: "0", maxFailedTargets: "", maxFailedPercent: "" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RolloutFormErrors = Partial<Record<keyof RolloutForm, string>>;

export function parseRolloutForm(form: RolloutForm): { rollout: RolloutRequest & { soak_seconds: number } } | { errors: RolloutFormErrors } {
  const errors: RolloutFormErrors = {};
  const words = form.canaries.split(/[\s,]+/).filter(Boolean);
  const ids = words.filter((w) => UUID.test(w));
  const tags = words.filter((w) => !UUID.test(w));
  const waves: WaveSpec[] = [];
  if (words.length) waves.push({ type: "canary", ...(ids.length ? { tenant_ids: ids } : {}), ...(tags.length ? { tags } : {}) });
  const parts = form.waves.split(",").map((p) => p.trim()).filter(Boolean);
  for (const [i, part] of parts.entries()) {
    const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(part);
    if (percent && Number(percent[1]) > 0 && Number(percent[1]) <= 100) waves.push({ type: "percent", percent: Number(percent[1]) });
    else if (/^\d+$/.test(part) && Number(part) > 0) waves.push({ type: "count", count: Number(part) });
    else if (/^rest$/i.test(part) && i === parts.length - 1) waves.push({ type: "rest" });
    else errors.waves = `“${part}” is not a wave: write a percentage (10%), a number of targets (25), or rest (last)`;
  }
  if (waves.length === 0) errors.waves = "name canary tenants or at least one wave";
  const soak = form.soakSeconds.trim() === "" ? 0 : Number(form.soakSeconds);
  if (!Number.isInteger(soak) || soak < 0 || soak > 86_400) errors.soakSeconds = "soak is a number of seconds, 0 to 86400";
  const maxTargets = form.maxFailedTargets.trim() === "" ? undefined : Number(form.maxFailedTargets);
  if (maxTargets !== undefined && (!Number.isInteger(maxTargets) || maxTargets < 0)) errors.maxFailedTargets = "a whole number of targets, 0 or more";
  const maxPercent = form.maxFailedPercent.trim() === "" ? undefined : Number(form.maxFailedPercent);
  if (maxPercent !== undefined && (!Number.isFinite(maxPercent) || maxPercent < 0 || maxPercent > 100)) errors.maxFailedPercent = "a percentage, 0 to 100";
  if (Object.keys(errors).length) return { errors };
  const halt = {
    ...(maxTargets !== undefined ? { max_failed_targets: maxTargets } : {}),
    ...(maxPercent !== undefined ? { max_failed_percent: maxPercent } : {}),
  };
  return { rollout: { waves, soak_seconds: soak, ...(Object.keys(halt).length ? { halt } : {}) } };
}
