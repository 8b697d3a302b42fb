package io.phonon.interceptor;

import java.lang.annotation.Annotation;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;

/**
 * Proxies beans with methods carrying one of Phonon's annotations (interface or class
 * proxies, no AspectJ weaver), as Spring's own {@code @ConcurrencyLimit} does, and checks
 * each such bean's annotations when it is created, so a mistake fails the start-up,
 * naming class, method and attribute.
 *
 * @param <A> the annotation
 * @param <M> what an annotated method resolves to
 * @param <S> the service the interceptor calls, looked up at the first call
 */
abstract class AnnotationAdvisingPostProcessor<A extends Annotation, M, S>
		extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private final Class<A> annotationType;

	private final Class<S> serviceType;

	private @Nullable AnnotatedMethods<A, M> methods;

	/**
	 * Its advice runs before other advisors already on a proxy, and it is ordered before
	 * post-processors of the default order (such as {@code @Scheduled}'s), so that those
	 * see the advised proxy whatever order the beans were registered in.
	 */
	AnnotationAdvisingPostProcessor(Class<A> annotationType, Class<S> serviceType) {
		this.annotationType = annotationType;
		this.serviceType = serviceType;
		setBeforeExistingAdvisors(true);
		setOrder(Ordered.LOWEST_PRECEDENCE - 1);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		AnnotatedMethods<A, M> methods = methods(beanFactory);
		this.methods = methods;
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, this.annotationType, true),
				interceptor(methods, SingletonSupplier.of(() -> beanFactory.getBean(this.serviceType)), beanFactory));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (this.methods != null && isEligible(bean, beanName)) {
			this.methods.check(AopUtils.getTargetClass(bean));
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

	abstract AnnotatedMethods<A, M> methods(BeanFactory beanFactory);

	abstract MethodInterceptor interceptor(AnnotatedMethods<A, M> methods, Supplier<S> service,
			BeanFactory beanFactory);

}
