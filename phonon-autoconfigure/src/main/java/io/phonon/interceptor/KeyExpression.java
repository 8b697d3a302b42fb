package io.phonon.interceptor;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.expression.BeanFactoryResolver;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.ast.BeanReference;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * A SpEL key expression of an annotated method, checked when the bean is created: it must
 * parse, every {@code #variable} must name a parameter ({@code #name}, {@code #p0},
 * {@code #a0}), and every {@code @bean} must exist. At a call it is evaluated over the
 * arguments; {@code null} is refused. The most common key, one parameter ({@code #id},
 * {@code #p0}), is read from the arguments without SpEL, so it costs no evaluation
 * context.
 */
final class KeyExpression {

	private static final SpelExpressionParser parser = new SpelExpressionParser(
			new SpelParserConfiguration(SpelCompilerMode.MIXED, KeyExpression.class.getClassLoader()));

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private final String text;

	private final Expression expression;

	private final Method method;

	private final String owner;

	private final BeanFactoryResolver beans;

	/** The parameter the expression is, when it is only a reference to one; else -1. */
	private final int parameter;

	private KeyExpression(String text, Expression expression, Method method, String owner, BeanFactory beanFactory,
			int parameter) {
		this.text = text;
		this.expression = expression;
		this.method = method;
		this.owner = owner;
		this.beans = new BeanFactoryResolver(beanFactory);
		this.parameter = parameter;
	}

	/**
	 * Parses and checks {@code text}.
	 * @param owner names the annotation and method in messages, such as
	 * {@code @Locked on RecordService.enrich(Record)}
	 */
	static KeyExpression parse(String text, Method method, String owner, BeanFactory beanFactory) {
		Expression expression;
		try {
			expression = parser.parseExpression(text);
		}
		catch (ParseException ex) {
			throw new IllegalStateException(
					owner + ": key expression '" + text + "' is not valid SpEL: " + ex.getMessage(), ex);
		}
		int parameter = -1;
		if (expression instanceof SpelExpression spel) {
			check(spel.getAST(), text, method, owner, beanFactory);
			if (spel.getAST() instanceof VariableReference reference) {
				parameter = parameterIndex(reference.toStringAST().substring(1), method);
			}
		}
		return new KeyExpression(text, expression, method, owner, beanFactory, parameter);
	}

	/**
	 * Returns the index of the parameter that {@code #name} refers to, as SpEL's method
	 * evaluation context resolves it, or -1 if it names none.
	 */
	private static int parameterIndex(String name, Method method) {
		@Nullable String @Nullable [] names = parameterNames.getParameterNames(method);
		if (names != null) {
			for (int i = 0; i < names.length; i++) {
				if (name.equals(names[i])) {
					return i;
				}
			}
		}
		for (int i = 0; i < method.getParameterCount(); i++) {
			if (name.equals("p" + i) || name.equals("a" + i)) {
				return i;
			}
		}
		return -1;
	}

	private static void check(SpelNode node, String text, Method method, String owner, BeanFactory beanFactory) {
		if (node instanceof VariableReference) {
			String name = node.toStringAST().substring(1);
			Set<String> known = variables(method);
			if (!known.contains(name)) {
				@Nullable String @Nullable [] names = parameterNames.getParameterNames(method);
				throw new IllegalStateException(owner + ": key expression '" + text + "' refers to #" + name
						+ ", which is not a parameter of the method. Known: " + String.join(", ", known)
						+ ((names == null) ? " (compile with -parameters to refer to parameters by name)" : ""));
			}
		}
		else if (node instanceof BeanReference) {
			String name = node.toStringAST().substring(1);
			if (!name.startsWith("&") && !beanFactory.containsBean(name)) {
				throw new IllegalStateException(owner + ": key expression '" + text + "' refers to bean @" + name
						+ ", and there is no bean of that name");
			}
		}
		for (int i = 0; i < node.getChildCount(); i++) {
			check(node.getChild(i), text, method, owner, beanFactory);
		}
	}

	private static Set<String> variables(Method method) {
		Set<String> known = new LinkedHashSet<>();
		@Nullable String @Nullable [] names = parameterNames.getParameterNames(method);
		if (names != null) {
			known.addAll(List.of(names));
		}
		List<String> positional = new ArrayList<>();
		for (int i = 0; i < method.getParameterCount(); i++) {
			positional.add("p" + i);
			positional.add("a" + i);
		}
		known.addAll(positional);
		known.add("root");
		known.add("this");
		return known;
	}

	/**
	 * Evaluates the key for one call.
	 * @return the key as a string
	 * @throws IllegalArgumentException if it evaluates to {@code null}
	 */
	String evaluate(@Nullable Object[] arguments) {
		if (this.parameter >= 0) {
			Object value = arguments[this.parameter];
			if (value == null) {
				throw nullKey();
			}
			return value.toString();
		}
		MethodBasedEvaluationContext context = new MethodBasedEvaluationContext(null, this.method, arguments,
				parameterNames);
		context.setBeanResolver(this.beans);
		Object value = this.expression.getValue(context);
		if (value == null) {
			throw nullKey();
		}
		return value.toString();
	}

	private IllegalArgumentException nullKey() {
		return new IllegalArgumentException(this.owner + ": key expression '" + this.text
				+ "' evaluated to null; a lock needs a key. Make sure the value is set, or key on another value");
	}

}
