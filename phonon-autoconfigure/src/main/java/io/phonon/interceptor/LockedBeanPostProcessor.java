package io.phonon.interceptor;

import io.phonon.annotation.Locked;
import io.phonon.lock.LockService;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.core.Ordered;
import org.springframework.util.function.SingletonSupplier;

/**
 * Proxies beans with {@link Locked} methods (interface or class proxies, no AspectJ weaver),
 * as Spring's own {@code @ConcurrencyLimit} does, and checks each such bean's annotations when it
 * is created, so a bad key expression or duration fails the start-up, naming class, method
 * and attribute.
 */
public class LockedBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private @Nullable LockedMethods methods;

	/**
	 * Creates the post-processor. Its advice runs before other advisors already on a proxy, and
	 * it is ordered before post-processors of the default order (such as {@code @Scheduled}'s),
	 * so that those see the locked proxy whatever order the beans were registered in.
	 */
	public LockedBeanPostProcessor() {
		setBeforeExistingAdvisors(true);
		setOrder(Ordered.LOWEST_PRECEDENCE - 1);
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		super.setBeanFactory(beanFactory);
		LockedMethods methods = new LockedMethods(beanFactory);
		this.methods = methods;
		this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, Locked.class, true),
				new LockedMethodInterceptor(methods, SingletonSupplier.of(() -> beanFactory.getBean(LockService.class))));
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (this.methods != null && isEligible(bean, beanName)) {
			this.methods.check(AopUtils.getTargetClass(bean));
		}
		return super.postProcessAfterInitialization(bean, beanName);
	}

}
