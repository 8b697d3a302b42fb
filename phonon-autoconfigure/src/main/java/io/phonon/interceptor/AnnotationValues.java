package io.phonon.interceptor;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * Resolves annotation attributes when the bean is created: {@code ${...}} placeholders,
 * then durations in Spring Boot's forms ({@code 30s}, {@code PT30S}, {@code 500ms}). A
 * bare number other than zero is refused: Spring Boot would read it as milliseconds,
 * which nobody writing {@code lease = "30"} means.
 */
final class AnnotationValues {

	private final @Nullable ConfigurableBeanFactory beanFactory;

	AnnotationValues(BeanFactory beanFactory) {
		this.beanFactory = (beanFactory instanceof ConfigurableBeanFactory configurable) ? configurable : null;
	}

	String resolve(String value) {
		String resolved = (this.beanFactory != null) ? this.beanFactory.resolveEmbeddedValue(value) : value;
		return (resolved != null) ? resolved : value;
	}

	/**
	 * Parses a duration attribute.
	 * @param owner names the annotation and method in messages
	 * @param attribute the attribute's name
	 * @param value the attribute's value, not empty
	 * @param positive whether zero is refused as well as negative durations
	 */
	Duration duration(String owner, String attribute, String value, boolean positive) {
		String resolved = resolve(value).trim();
		String written = owner + ": " + attribute + " = \"" + value + "\""
				+ (resolved.equals(value) ? "" : " (resolved to \"" + resolved + "\")");
		Duration duration;
		try {
			duration = DurationStyle.detectAndParse(resolved);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(written + (resolved.contains("${")
					? " has a placeholder that could not be resolved; define the property or give a default, such as"
							+ " ${my.lease:30s}"
					: " is not a duration; use a form such as 30s, 500ms or PT30S"), ex);
		}
		if (!duration.isZero() && resolved.matches("[+-]?\\d+")) {
			throw new IllegalStateException(written + " has no unit, so it would be " + resolved + " milliseconds;"
					+ " write the unit, such as " + resolved + "s (or " + resolved + "ms if milliseconds are meant)");
		}
		if (duration.isNegative() || (positive && duration.isZero())) {
			throw new IllegalStateException(
					written + " must be " + (positive ? "positive" : "zero or positive") + ", was " + duration);
		}
		return duration;
	}

}
