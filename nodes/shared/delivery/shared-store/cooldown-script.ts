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
import { createHash } from 'crypto';

import type { CooldownSettings } from '../host-cooldown';

/**
 * Kept short (indentation is stripped below): the script normally goes by its SHA1 (EVALSHA) and is
 * sent whole only when Redis does not know it yet.
 * ARGV: op, now, windowMs, bucketMs, minRequests, failureRatio, cooldownMs, maxCooldownMs,
 * probeRequests, probeLeaseMs, ttlMs, failure (1/0), probe (1/0).
 */
export const COOLDOWN_SCRIPT = `
local k=KEYS[1]
local op=ARGV[1]
local a={}
for i=2,11 do a[i]=tonumber(ARGV[i]) end
local now,win,bms,minr,ratio,cd,maxcd,pr,lease,ttl=a[2],a[3],a[4],a[5],a[6],a[7],a[8],a[9],a[10],a[11]
local fail=ARGV[12]=='1'
local s=redis.call('HMGET',k,'ph','ou','tr','pif','ps','plu')
local ph=s[1] or 'c'
local ou,tr,pif,ps,plu=tonumber(s[2] or 0),tonumber(s[3] or 0),tonumber(s[4] or 0),tonumber(s[5] or 0),tonumber(s[6] or 0)
local names={c='closed',o='open',p='probing'}
local function cdf(t) return math.floor(math.min(math.max(cd,maxcd),cd*2^math.min(math.max(0,t-1),40))) end
local function save(f) redis.call('HSET',k,unpack(f)) redis.call('PEXPIRE',k,ttl) end
local function each(visit)
local all=redis.call('HGETALL',k)
for i=1,#all,2 do
local p=string.sub(all[i],1,2)
if p=='r:' or p=='f:' then visit(all[i],p,tonumber(string.sub(all[i],3)),tonumber(all[i+1])) end
end
end
local function trip()
tr=tr+1
ou=now+cdf(tr)
each(function(f) redis.call('HDEL',k,f) end)
save({'ph','o','since',now,'ou',ou,'tr',tr,'pif',0,'ps',0,'plu',0})
return {'open',ou,tr}
end
if op=='admit' then
if ph=='o' then
if now<ou then return {'defer',ou,tr,'open'} end
ph='p' pif=0 ps=0 plu=0
save({'ph','p','since',now,'pif',0,'ps',0,'plu',0})
end
if ph=='p' then
if pif>0 and now>=plu then pif=0 end
if pif>=math.max(1,pr-ps) then return {'defer',math.max(math.min(now+cdf(math.max(1,tr)),plu),now+1),tr,'probing'} end
save({'pif',pif+1,'plu',now+lease})
return {'probe',0,tr,'probing'}
end
return {'send',0,tr,'closed'}
end
if op=='release' then
if ph=='p' and pif>0 then save({'pif',pif-1}) end
return {names[ph],ou,tr}
end
if ARGV[13]=='1' and ph=='p' then
if fail then return trip() end
ps=ps+1
if ps>=pr then redis.call('DEL',k) return {'closed',0,0} end
save({'ps',ps,'pif',math.max(0,pif-1)})
return {'probing',0,tr}
end
if ph~='c' then return {names[ph],ou,tr} end
local b=math.floor(now/bms)*bms
redis.call('HINCRBY',k,'r:'..b,1)
if fail then redis.call('HINCRBY',k,'f:'..b,1) end
redis.call('PEXPIRE',k,ttl)
local req,fl=0,0
each(function(f,p,start,count)
if start+bms>now-win and start<=now then
if p=='r:' then req=req+count else fl=fl+count end
else redis.call('HDEL',k,f) end
end)
if fail and req>=minr and fl/req>ratio then return trip() end
return {'closed',0,tr}
`.replace(/^\s+/gm, '');

export const COOLDOWN_SCRIPT_SHA1 = createHash('sha1').update(COOLDOWN_SCRIPT).digest('hex');

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
