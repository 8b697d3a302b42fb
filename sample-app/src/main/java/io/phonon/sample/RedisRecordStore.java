package io.phonon.sample;

import java.util.List;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Profile;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

/**
 * The records in Redis, shared by every instance: a hash per record holding its JSON and
 * the fencing token of its last write, compared and set in one script.
 */
@Component
@Profile("redis")
class RedisRecordStore implements RecordStore {

	/** Returns -1 when written, else the newer token that refused the write. */
	private static final RedisScript<Long> SAVE = RedisScript.of("""
			local seen = tonumber(redis.call('HGET', KEYS[1], 'token') or '0')
			if seen > tonumber(ARGV[1]) then return seen end
			redis.call('HSET', KEYS[1], 'token', ARGV[1], 'json', ARGV[2])
			return -1
			""", Long.class);

	private final StringRedisTemplate redis;

	private final JsonMapper json;

	private final String prefix;

	RedisRecordStore(StringRedisTemplate redis, JsonMapper json, @Value("${phonon.namespace}") String namespace) {
		this.redis = redis;
		this.json = json;
		this.prefix = "sample:" + namespace + ":record:";
	}

	@Override
	public Record find(String id) {
		Object stored = this.redis.opsForHash().get(this.prefix + id, "json");
		return (stored != null) ? this.json.readValue(stored.toString(), Record.class) : Record.empty(id);
	}

	@Override
	public Record save(Record record) {
		Long seen = this.redis.execute(SAVE, List.of(this.prefix + record.id()), String.valueOf(record.lastToken()),
				this.json.writeValueAsString(record));
		if (seen != null && seen >= 0) {
			throw new StaleWriteException(record.id(), record.lastToken(), seen);
		}
		return record;
	}

}
