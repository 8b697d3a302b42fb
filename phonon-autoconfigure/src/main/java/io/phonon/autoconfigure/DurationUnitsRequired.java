package io.phonon.autoconfigure;

import java.time.Duration;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;

/**
 * Refuses a {@code phonon.*} duration written without a unit. Spring Boot reads
 * {@code lease: 30} as 30 milliseconds, which nobody who writes it means, and a lease
 * that short cannot be renewed, so two holders would run at once. Zero needs no unit.
 */
final class DurationUnitsRequired implements ConfigurationPropertiesBindHandlerAdvisor {

	private static final ConfigurationPropertyName PHONON = ConfigurationPropertyName.of("phonon");

	private static final Pattern BARE_NUMBER = Pattern.compile("[+-]?\\d+");

	@Override
	public BindHandler apply(BindHandler bindHandler) {
		return new AbstractBindHandler(bindHandler) {

			@Override
			public @Nullable Object onSuccess(ConfigurationPropertyName name, Bindable<?> target, BindContext context,
					Object result) {
				ConfigurationProperty property = context.getConfigurationProperty();
				if (result instanceof Duration duration && !duration.isZero() && property != null
						&& PHONON.isAncestorOf(name)) {
					String written = String.valueOf(property.getValue()).trim();
					if (BARE_NUMBER.matcher(written).matches()) {
						throw new IllegalArgumentException("a duration needs a unit: without one Spring Boot reads "
								+ written + " as " + written + " milliseconds. Write the unit, such as " + written
								+ "s for seconds (or " + written + "ms if milliseconds are meant)");
					}
				}
				return super.onSuccess(name, target, context, result);
			}

		};
	}

}
