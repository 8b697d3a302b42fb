package io.phonon.channel;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;

/**
 * Hand-written Lincheck scenarios: each thread's list of operations, by the test class's
 * method names.
 */
final class LincheckScenarios {

	private LincheckScenarios() {
	}

	/** Threads running their operations in parallel, then {@code post} on one thread. */
	static ExecutionScenario scenario(List<List<Actor>> parallel, List<Actor> post) {
		return new ExecutionScenario(new ArrayList<>(), parallel, new ArrayList<>(post), null);
	}

	static ExecutionScenario scenario(List<List<Actor>> parallel) {
		return scenario(parallel, List.of());
	}

	/**
	 * The operation {@code name} of {@code type}, taking no argument or one {@code int}.
	 */
	static Actor actor(Class<?> type, String name, Object... arguments) throws NoSuchMethodException {
		Method method = (arguments.length == 0) ? type.getMethod(name) : type.getMethod(name, int.class);
		return new Actor(method, List.of(arguments), false, false);
	}

}
