package io.phonon.sample;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/** The findings of this instance's checks. */
@Component
@Profile("!redis")
class MemoryCheckFindings implements CheckFindings {

	private final Map<String, Map<String, String>> findings = new ConcurrentHashMap<>();

	@Override
	public void put(String id, String check, String finding) {
		this.findings.computeIfAbsent(id, (key) -> new ConcurrentHashMap<>()).put(check, finding);
	}

	@Override
	public Map<String, String> get(String id) {
		return Map.copyOf(this.findings.getOrDefault(id, Map.of()));
	}

	@Override
	public void remove(String id) {
		this.findings.remove(id);
	}

}
