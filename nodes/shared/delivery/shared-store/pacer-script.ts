/**
 * The rate-limit pacer of pacer.ts as one Lua script, so every worker reserves its slot from one
 * count of the host's remaining requests and waits for one reset. Hash fields: lim, rem, rst (reset
 * at), nb (not before), nx (next slot at), wms (the window's length as far as known); an absent field
 * is an unknown value.
 * ARGV for reserve: op, now, spreadBelowRatio, spreadBelowCount, maxWaitMs, ttlMs, deadline (a slot
 * later than this is not taken). For observe: op, now, limit, remaining, resetAfterMs, holdMs, ttlMs
 * ('' for unknown).
 */
import { createHash } from 'crypto';

import type { RateLimitHints } from '../rate-limit-headers';
import type { PacerSettings } from '../pacer';

export const PACER_SCRIPT = `
local k=KEYS[1]
local now=tonumber(ARGV[2])
local s=redis.call('HMGET',k,'lim','rem','rst','nb','nx','wms')
local lim,rem,rst,nb,nx,wms=tonumber(s[1]),tonumber(s[2]),tonumber(s[3]),tonumber(s[4] or 0),tonumber(s[5] or 0),tonumber(s[6])
local function save(ttl)
redis.call('DEL',k)
local f={'nb',nb,'nx',nx}
if lim then table.insert(f,'lim') table.insert(f,lim) end
if rem then table.insert(f,'rem') table.insert(f,rem) end
if rst then table.insert(f,'rst') table.insert(f,rst) end
if wms then table.insert(f,'wms') table.insert(f,wms) end
redis.call('HSET',k,unpack(f))
redis.call('PEXPIRE',k,ttl)
end
if ARGV[1]=='observe' then
local l,r,ra,hold=tonumber(ARGV[3]),tonumber(ARGV[4]),tonumber(ARGV[5]),tonumber(ARGV[6])
if l then lim=l end
local w='new'
if rst and ra and rem then
local tol=math.min(1000,(wms or 2000)/2)
if now+ra<rst-tol then w='older' elseif now+ra<=rst+tol then w='current' end
end
if ra then wms=math.max(wms or 0,ra) end
if w=='current' and r then
rem=math.min(rem,r)
if ra then rst=math.max(rst,now+ra) end
elseif w=='new' then
if r then rem=r end
if ra then rst=now+ra elseif r then rst=nil end
end
if hold and hold>0 then nb=math.max(nb,now+hold) end
save(tonumber(ARGV[7]))
return {'ok'}
end
local ratio,count,maxw,ttl,deadline=tonumber(ARGV[3]),tonumber(ARGV[4]),tonumber(ARGV[5]),tonumber(ARGV[6]),tonumber(ARGV[7])
if not rem and not rst and nb<=now then return {'idle',now} end
if rst and now>=rst then rem=lim rst=nil nx=0 end
local at=math.max(now,nb)
if rem and rst then
if rem<=0 then
at=math.max(at,rst)
nb=math.max(nb,rst)
if lim then rem=math.max(0,lim-1) else rem=nil end
if wms and lim then rst=rst+wms else rst=nil end
nx=0
else
local th=count
if lim then th=math.max(1,math.ceil(lim*ratio)) end
if rem<=th then
at=math.max(at,nx)
nx=at+math.max(0,rst-at)/rem
end
rem=rem-1
end
end
at=math.ceil(math.min(at,now+maxw))
if at>now and at>deadline then return {'over',at} end
save(ttl)
return {'slot',at}
`.replace(/^\s+/gm, '');

export const PACER_SCRIPT_SHA1 = createHash('sha1').update(PACER_SCRIPT).digest('hex');

/** `idle`: the host has announced no rate limit and holds nothing back; no slot was counted. */
export type PacerReservation = { kind: 'slot' | 'over' | 'idle'; sendAt: number };

const optional = (value: number | undefined) => (value === undefined ? '' : String(value));

export function reserveArguments(
	key: string,
	now: number,
	settings: PacerSettings,
	deadline: number,
	ttlMs: number,
): Array<string | number> {
	return ['1', key, 'reserve', Math.floor(now), settings.spreadBelowRatio, settings.spreadBelowCount, settings.maxWaitMs, ttlMs, deadline];
}

export function observeArguments(
	key: string,
	now: number,
	hints: RateLimitHints,
	holdMs: number | undefined,
	ttlMs: number,
): Array<string | number> {
	return [
		'1',
		key,
		'observe',
		Math.floor(now),
		optional(hints.limit),
		optional(hints.remaining),
		optional(hints.resetAfterMs),
		optional(holdMs),
		ttlMs,
	];
}

export function parseReservation(reply: unknown): PacerReservation | undefined {
	if (!Array.isArray(reply) || reply.length < 2) return undefined;
	const [kind, at] = reply as unknown[];
	const sendAt = typeof at === 'number' ? at : Number(at);
	if ((kind !== 'slot' && kind !== 'over' && kind !== 'idle') || !Number.isFinite(sendAt)) return undefined;
	return { kind, sendAt };
}

export function parseObserved(reply: unknown): true | undefined {
	return Array.isArray(reply) && reply[0] === 'ok' ? true : undefined;
}
