package io.phonon.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.phonon.actuate.PhononEndpoint;
import io.phonon.actuate.PhononEndpoint.PhononDescriptor;
import io.phonon.atom.Atoms;
import io.phonon.dogpile.Dogpiles;
import io.phonon.lock.HeldLock;
import io.phonon.lock.Lease;
import io.phonon.lock.LockOptions;
import io.phonon.lock.LockService;
import io.phonon.reference.Reference;
import io.phonon.reference.References;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class PhononEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PhononAutoConfiguration.class, PhononReferencesAutoConfiguration.class,
				PhononDogpileAutoConfiguration.class, PhononAtomAutoConfiguration.class,
				PhononEndpointAutoConfiguration.class));

	@Test
	void showsTheBackendTheProcessTheReferencesItHoldsAndItsDogpileCaches() throws Exception {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=phonon").run((context) -> {
			References references = context.getBean(References.class);
			PhononEndpoint endpoint = context.getBean(PhononEndpoint.class);
			try (Reference email = references.acquire("record:1");
					Reference address = references.acquire("record:1");
					Reference other = references.acquire("record:2")) {
				PhononDescriptor described = endpoint.phonon();
				assertThat(described.backend()).isEqualTo("memory");
				assertThat(described.process()).isEqualTo(references.processId());
				assertThat(described.references()).containsExactly(Map.entry("record:1", 2), Map.entry("record:2", 1));
			}
			assertThat(endpoint.phonon().references()).isEmpty();
			context.getBean(Dogpiles.class).cache("reports", String.class).get("2026-11", () -> "report");
			assertThat(endpoint.phonon().dogpiles()).containsExactly(Map.entry("reports", 1L));
		});
	}

	@Test
	void showsTheLocksThisInstanceHoldsWithTokenSinceAndExpiry() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=phonon").run((context) -> {
			LockService locks = context.getBean(LockService.class);
			PhononEndpoint endpoint = context.getBean(PhononEndpoint.class);
			Instant before = Instant.now();
			try (Lease lease = locks.acquire("report:2026-11",
					LockOptions.defaults().withLease(Duration.ofMinutes(1)))) {
				locks.withLock("sweep", LockOptions.defaults(), () -> {
					assertThat(endpoint.phonon().locks()).extracting(HeldLock::id)
						.containsExactly("report:2026-11", "sweep");
					return null;
				});
				HeldLock held = endpoint.phonon().locks().get(0);
				assertThat(held.token()).isEqualTo(lease.token());
				assertThat(held.since()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
				assertThat(held.expiresAt()).isBetween(held.since().plusSeconds(58), held.since().plusSeconds(61));
			}
			assertThat(endpoint.phonon().locks()).isEmpty();
		});
	}

	@Test
	void showsTheSharedAtomsThisInstanceKnowsWithTheVersionItLastSaw() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=phonon").run((context) -> {
			Atoms atoms = context.getBean(Atoms.class);
			atoms.counter("visits").incrementAndGet();
			atoms.shared("greeting", String.class, "hello");
			assertThat(context.getBean(PhononEndpoint.class).phonon().atoms())
				.containsExactly(Map.entry("greeting", 1L), Map.entry("visits", 2L));
		});
	}

	@Test
	void namesTheFileBackend(@TempDir Path directory) {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=phonon", "phonon.backend=file",
					"phonon.file.directory=" + directory)
			.run((context) -> assertThat(context.getBean(PhononEndpoint.class).phonon().backend()).isEqualTo("file"));
	}

	@Test
	void backsOffWhenTheEndpointIsNotExposed() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PhononEndpoint.class));
	}

	@Test
	void backsOffWhenTheEndpointIsSwitchedOff() {
		// As in an application, whose environment converts "none" to Access.NONE.
		this.runner
			.withInitializer(
					(context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withPropertyValues("management.endpoints.web.exposure.include=phonon",
					"management.endpoint.phonon.access=none")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PhononEndpoint.class));
	}

}
