package io.phonon.sample;

import java.util.Map;

/**
 * The shared cache where the checks of a record leave their findings until the last one
 * out writes them: {@link MemoryCheckFindings} in one instance,
 * {@link RedisCheckFindings} across instances with the {@code redis} profile.
 */
public interface CheckFindings {

	/**
	 * Leaves a check's finding.
	 * @param id the record's id
	 * @param check the check's name
	 * @param finding what it found
	 */
	void put(String id, String check, String finding);

	/**
	 * Returns the findings left for a record, by check.
	 * @param id the record's id
	 * @return the findings; empty if none are left
	 */
	Map<String, String> get(String id);

	/**
	 * Forgets the findings of a record, once they are written.
	 * @param id the record's id
	 */
	void remove(String id);

}
