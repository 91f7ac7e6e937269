import { createHash } from 'node:crypto';

/**
 * The charge of `tokenBucket.ts` as one Redis script, so the read, refill, check and write of a
 * bucket happen atomically even when several gateway replicas charge the same caller.
 *
 * KEYS[1] bucket hash (`available`, `updatedAt`); ARGV: maximum, restore rate per second, the
 * caller's clock in milliseconds, cost, key lifetime in milliseconds.
 *
 * The time is passed in rather than read with Redis TIME for two reasons. The script then depends
 * only on its arguments, so it replicates and replays the same everywhere whatever the Redis
 * version's script replication mode. And the gateway's injectable clock drives the same
 * arithmetic against Redis as in memory, which lets tests step time. Replicas' clocks may differ
 * by a little; `updatedAt` never moves back, so a lagging clock refills nothing rather than
 * granting points twice.
 *
 * Lua numbers returned to Redis are truncated to integers, so `available` comes back as a string.
 * The key expires once an empty bucket would have refilled, since a missing key starts full.
 */
export const CHARGE_SCRIPT = `
local maximum = tonumber(ARGV[1])
local restoreRate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local lifetime = tonumber(ARGV[5])

local state = redis.call('HMGET', KEYS[1], 'available', 'updatedAt')
local available = tonumber(state[1])
local updatedAt = tonumber(state[2])
if available == nil or updatedAt == nil then
  available = maximum
  updatedAt = now
end

local elapsedSeconds = math.max(0, now - updatedAt) / 1000
available = math.min(maximum, available + elapsedSeconds * restoreRate)
local allowed = 0
if cost <= available then
  available = available - cost
  allowed = 1
end

redis.call('HSET', KEYS[1], 'available', string.format('%.17g', available), 'updatedAt', string.format('%.17g', math.max(now, updatedAt)))
redis.call('PEXPIRE', KEYS[1], lifetime)
return { allowed, string.format('%.17g', available) }
`;

/** SHA-1 of the script, the name EVALSHA runs it by once Redis has cached it. */
export const CHARGE_SCRIPT_SHA = createHash('sha1').update(CHARGE_SCRIPT).digest('hex');
