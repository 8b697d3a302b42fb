package io.phonon.autoconfigure;

import io.phonon.actuate.PhononEndpoint;
import io.phonon.annotation.Dogpile;
import io.phonon.annotation.Locked;
import io.phonon.lock.HeldLock;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;

import static org.assertj.core.api.Assertions.assertThat;

/** The hints that AOT processing and native images need, and their registration. */
class PhononRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	PhononRuntimeHintsTests() {
		new PhononRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void registeredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.anyMatch(PhononRuntimeHints.class::isInstance);
	}

	@Test
	void theJdbcBackendsDdlOfEveryPlatform() {
		for (String platform : new String[] { "postgresql", "mariadb", "h2" }) {
			assertThat(
					RuntimeHintsPredicates.resource().forResource("io/phonon/backend/jdbc/schema-" + platform + ".sql"))
				.accepts(this.hints);
		}
	}

	@Test
	void theAnnotationsAttributes() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(Locked.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(Dogpile.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS)).accepts(this.hints);
	}

	@Test
	void theEndpointsJson() throws NoSuchMethodException {
		assertThat(RuntimeHintsPredicates.reflection().onType(PhononEndpoint.PhononDescriptor.class))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(HeldLock.class.getMethod("id")))
			.accepts(this.hints);
	}

}
