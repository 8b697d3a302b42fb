package io.phonon;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layering that module dependencies cannot express, checked on the classes of every
 * module: the primitives know no engine and no Spring Boot, the engines know no Spring
 * glue and not each other, and the engine authors' kit builds on the public API only.
 */
class ArchitectureTests {

	/** The primitives' public API, in phonon-core. */
	private static final String[] API = { "io.phonon", "io.phonon.lock..", "io.phonon.reference..",
			"io.phonon.dogpile..", "io.phonon.atom..", "io.phonon.channel..", "io.phonon.annotation.." };

	/** The Spring glue, in phonon-autoconfigure. */
	private static final String[] SPRING_GLUE = { "io.phonon.autoconfigure..", "io.phonon.interceptor..",
			"io.phonon.actuate..", "io.phonon.bridge.." };

	private static final JavaClasses PHONON = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		// The contract suites share the primitives' packages but are tests, published
		// apart.
		.withImportOption((location) -> !location.contains("phonon-test-support"))
		.importPackages("io.phonon");

	@Test
	void primitivesKnowNoEngine() {
		check(noClasses().that()
			.resideInAnyPackage(API)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("io.phonon.backend.."));
	}

	@Test
	void coreKnowsNoSpringBootNorSpringGlue() {
		check(noClasses().that()
			.resideInAnyPackage(core())
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(SPRING_GLUE, "org.springframework.boot..", "org.springframework.data..",
					"org.springframework.jdbc..", "org.springframework.context..", "org.springframework.beans..",
					"javax.sql..")));
	}

	@Test
	void coreDependsOnlyOnJavaSpringCoreMicrometerAndJSpecify() {
		check(classes().that()
			.resideInAnyPackage(core())
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage(concat(core(), "java..", "org.springframework.core..", "org.apache.commons.logging..",
					"io.micrometer..", "org.jspecify..",
					// Optional: JacksonJsonCodec, and ReactiveLockService.
					"tools.jackson.databind..", "reactor..", "org.reactivestreams..")));
	}

	@Test
	void enginesKnowNoSpringGlue() {
		check(noClasses().that()
			.resideInAPackage("io.phonon.backend..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(concat(SPRING_GLUE, "org.springframework.boot..")));
	}

	@Test
	void noEngineKnowsAnother() {
		Set<String> engines = PHONON.stream()
			.map(JavaClass::getPackageName)
			.filter((name) -> name.startsWith("io.phonon.backend.") && !name.startsWith("io.phonon.backend.support"))
			.map((name) -> name.substring("io.phonon.backend.".length()).split("\\.")[0])
			.collect(Collectors.toCollection(TreeSet::new));
		assertThat(engines).contains("memory", "file", "redis", "jdbc");
		for (String engine : engines) {
			String[] others = engines.stream()
				.filter((other) -> !other.equals(engine))
				.map((other) -> "io.phonon.backend." + other + "..")
				.toArray(String[]::new);
			check(noClasses().that()
				.resideInAPackage("io.phonon.backend." + engine + "..")
				.should()
				.dependOnClassesThat()
				.resideInAnyPackage(others));
		}
	}

	@Test
	void theEngineKitBuildsOnThePublicApiOnly() {
		check(classes().that()
			.resideInAPackage("io.phonon.backend.support..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage(concat(API, "io.phonon.backend.support..", "java..", "org.apache.commons.logging..",
					"org.jspecify..")));
	}

	private static void check(ArchRule rule) {
		rule.check(PHONON);
	}

	private static String[] core() {
		return concat(API, "io.phonon.backend", "io.phonon.backend.memory..", "io.phonon.backend.support..");
	}

	private static String[] concat(String[] first, String... rest) {
		String[] all = Arrays.copyOf(first, first.length + rest.length);
		System.arraycopy(rest, 0, all, first.length, rest.length);
		return all;
	}

}
