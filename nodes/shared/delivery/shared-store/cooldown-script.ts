/**
 * The host cooldown of host-cooldown.ts as one Lua script run by Redis (EVAL), so every worker's
 * admit and record is one atomic step on one hash per workflow and host: N failures across all
 * workers trip the host once, and the open-until mark and the probe slots are taken by one worker
 * at a time. Times are the workers' clocks (epoch ms), as in the in-process cooldown.
 *
 * Hash fields: ph (c closed, o open, p probing), since, ou (open until), tr (trips), pif (probes in
 * flight), ps (probe successes), plu (probe lease until), and r:<bucket start> / f:<bucket start>
 * (requests and failures of each window bucket). The key expires after a quiet spell.
 */
import type { CooldownSettings } from '../host-cooldown';

export const COOLDOWN_SCRIPT = `
local key = KEYS[1]
local op = ARGV[1]
local now = tonumber(ARGV[2])
local windowMs = tonumber(ARGV[3])
local bucketMs = tonumber(ARGV[4])
local minRequests = tonumber(ARGV[5])
local ratio = tonumber(ARGV[6])
local cooldownMs = tonumber(ARGV[7])
local maxCooldownMs = tonumber(ARGV[8])
local probeRequests = tonumber(ARGV[9])
local leaseMs = tonumber(ARGV[10])
local ttlMs = tonumber(ARGV[11])
local failure = ARGV[12] == '1'
local probe = ARGV[13] == '1'
local s = redis.call('HMGET', key, 'ph', 'ou', 'tr', 'pif', 'ps', 'plu')
local phase = s[1] or 'c'
local openUntil = tonumber(s[2] or '0')
local trips = tonumber(s[3] or '0')
local pif = tonumber(s[4] or '0')
local ps = tonumber(s[5] or '0')
local plu = tonumber(s[6] or '0')
local names = { c = 'closed', o = 'open', p = 'probing' }
local function cooldownFor(n)
  local doublings = math.min(math.max(0, n - 1), 40)
  return math.floor(math.min(math.max(cooldownMs, maxCooldownMs), cooldownMs * 2 ^ doublings))
end
local function save(fields)
  redis.call('HSET', key, unpack(fields))
  redis.call('PEXPIRE', key, ttlMs)
end
local function buckets(visit)
  local all = redis.call('HGETALL', key)
  for i = 1, #all, 2 do
    local prefix = string.sub(all[i], 1, 2)
    if prefix == 'r:' or prefix == 'f:' then visit(all[i], prefix, tonumber(string.sub(all[i], 3)), tonumber(all[i + 1])) end
  end
end
local function trip()
  trips = trips + 1
  openUntil = now + cooldownFor(trips)
  buckets(function(field) redis.call('HDEL', key, field) end)
  save({ 'ph', 'o', 'since', now, 'ou', openUntil, 'tr', trips, 'pif', 0, 'ps', 0, 'plu', 0 })
  return { 'open', openUntil, trips }
end
if op == 'admit' then
  if phase == 'o' then
    if now < openUntil then return { 'defer', openUntil, trips, 'open' } end
    phase = 'p'; pif = 0; ps = 0; plu = 0
    save({ 'ph', 'p', 'since', now, 'pif', 0, 'ps', 0, 'plu', 0 })
  end
  if phase == 'p' then
    if pif > 0 and now >= plu then pif = 0 end
    if pif >= math.max(1, probeRequests - ps) then
      local retryAt = math.max(math.min(now + cooldownFor(math.max(1, trips)), plu), now + 1)
      return { 'defer', retryAt, trips, 'probing' }
    end
    save({ 'pif', pif + 1, 'plu', now + leaseMs })
    return { 'probe', 0, trips, 'probing' }
  end
  return { 'send', 0, trips, 'closed' }
end
if op == 'release' then
  if phase == 'p' and pif > 0 then save({ 'pif', pif - 1 }) end
  return { names[phase], openUntil, trips }
end
if probe and phase == 'p' then
  if failure then return trip() end
  ps = ps + 1
  if ps >= probeRequests then
    redis.call('DEL', key)
    return { 'closed', 0, 0 }
  end
  save({ 'ps', ps, 'pif', math.max(0, pif - 1) })
  return { 'probing', 0, trips }
end
if phase ~= 'c' then return { names[phase], openUntil, trips } end
local start = math.floor(now / bucketMs) * bucketMs
redis.call('HINCRBY', key, 'r:' .. start, 1)
if failure then redis.call('HINCRBY', key, 'f:' .. start, 1) end
redis.call('PEXPIRE', key, ttlMs)
local requests, failures = 0, 0
buckets(function(field, prefix, bucket, count)
  if bucket + bucketMs > now - windowMs and bucket <= now then
    if prefix == 'r:' then requests = requests + count else failures = failures + count end
  else
    redis.call('HDEL', key, field)
  end
end)
if failure and requests >= minRequests and failures / requests > ratio then return trip() end
return { 'closed', 0, trips }
`;

export type SharedAdmission =
	| { kind: 'send'; probe: boolean }
	| { kind: 'defer'; retryAt: number; phase: 'open' | 'probing'; trips: number };

export interface SharedHostState {
	phase: 'closed' | 'open' | 'probing';
	openUntil: number;
	trips: number;
}

type Operation = 'admit' | 'record' | 'release';

/** The EVAL arguments after the script: one key, then the operation and the settings. */
export function scriptArguments(
	key: string,
	operation: Operation,
	now: number,
	settings: CooldownSettings,
	outcome: { failure: boolean; probe: boolean } = { failure: false, probe: false },
): Array<string | number> {
	const bucketMs = Math.max(1, Math.floor(settings.windowMs / Math.max(1, settings.bucketCount)));
	// Long enough for an open host's longest cooldown and a probe's lease, and for a full window.
	const ttlMs = 2 * Math.max(settings.windowMs, settings.maxCooldownMs + settings.probeLeaseMs);
	return [
		'1',
		key,
		operation,
		Math.floor(now),
		settings.windowMs,
		bucketMs,
		settings.minRequests,
		settings.failureRatio,
		settings.cooldownMs,
		settings.maxCooldownMs,
		settings.probeRequests,
		settings.probeLeaseMs,
		ttlMs,
		outcome.failure ? '1' : '0',
		outcome.probe ? '1' : '0',
	];
}

/** The script's answer to admit; undefined for anything else (a foreign or broken store). */
export function parseAdmission(reply: unknown): SharedAdmission | undefined {
	if (!Array.isArray(reply) || reply.length < 4) return undefined;
	const [kind, retryAt, trips, phase] = reply as unknown[];
	if (kind === 'send') return { kind: 'send', probe: false };
	if (kind === 'probe') return { kind: 'send', probe: true };
	const numbers = [toNumber(retryAt), toNumber(trips)];
	if (kind !== 'defer' || (phase !== 'open' && phase !== 'probing') || numbers.includes(NaN)) return undefined;
	return { kind: 'defer', retryAt: numbers[0], phase, trips: numbers[1] };
}

/** The script's answer to record and release; undefined for anything else. */
export function parseHostState(reply: unknown): SharedHostState | undefined {
	if (!Array.isArray(reply) || reply.length < 3) return undefined;
	const [phase, openUntil, trips] = reply as unknown[];
	const numbers = [toNumber(openUntil), toNumber(trips)];
	if ((phase !== 'closed' && phase !== 'open' && phase !== 'probing') || numbers.includes(NaN)) return undefined;
	return { phase, openUntil: numbers[0], trips: numbers[1] };
}

function toNumber(value: unknown): number {
	const number = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(number) ? number : NaN;
}
