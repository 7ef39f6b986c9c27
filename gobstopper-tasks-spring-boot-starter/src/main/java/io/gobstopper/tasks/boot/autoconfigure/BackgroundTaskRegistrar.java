package io.gobstopper.tasks.boot.autoconfigure;

import io.gobstopper.tasks.BackgroundTask;
import io.gobstopper.tasks.InvalidTaskDefinitionException;
import io.gobstopper.tasks.engine.TaskRegistry;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Finds {@code @BackgroundTask} methods on every singleton bean, looking through proxies to the target class, and
 * registers them to be called through the bean (so its advice, such as {@code @Transactional}, applies). Once the
 * singletons exist it also looks at the beans startup did not create: a lazy singleton with tasks is created now,
 * so its tasks are registered before the engine starts, and a non-singleton bean with tasks fails startup.
 */
final class BackgroundTaskRegistrar implements BeanPostProcessor, BeanFactoryAware, SmartInitializingSingleton {

    private final ObjectProvider<TaskRegistry> registry;
    private final Set<Class<?>> withoutTasks = ConcurrentHashMap.newKeySet();
    private ConfigurableListableBeanFactory beanFactory;

    BackgroundTaskRegistrar(ObjectProvider<TaskRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        if (beanFactory instanceof ConfigurableListableBeanFactory listable) {
            this.beanFactory = listable;
        }
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof TaskRegistry || ScopedProxyUtils.isScopedTarget(beanName)) {
            return bean;
        }
        Class<?> target = AopProxyUtils.ultimateTargetClass(bean);
        if (withoutTasks.contains(target) || !AnnotationUtils.isCandidateClass(target, BackgroundTask.class)) {
            return bean;
        }
        Map<Method, BackgroundTask> methods = taskMethods(target);
        if (methods.isEmpty()) {
            withoutTasks.add(target);
            return bean;
        }
        requireSingleton(beanName, target);
        TaskRegistry tasks = registry.getObject();
        methods.forEach((method, annotation) -> {
            Method invocable;
            try {
                invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
            } catch (IllegalStateException ex) {
                throw new InvalidTaskDefinitionException(
                        "@BackgroundTask on " + target.getName() + "#" + method.getName()
                                + " cannot be called through bean '" + beanName + "': " + ex.getMessage()
                                + " Declare the method on the bean's interface, or proxy the class (proxyTargetClass = true).");
            }
            tasks.register(bean, method, invocable, annotation);
        });
        return bean;
    }

    private static Map<Method, BackgroundTask> taskMethods(Class<?> type) {
        if (!AnnotationUtils.isCandidateClass(type, BackgroundTask.class)) {
            return Map.of();
        }
        return MethodIntrospector.selectMethods(type, (MethodIntrospector.MetadataLookup<BackgroundTask>)
                method -> AnnotatedElementUtils.findMergedAnnotation(method, BackgroundTask.class));
    }

    /**
     * Beans that startup did not create are invisible to {@link #postProcessAfterInitialization}: a prototype would
     * have its tasks silently missing (or registered on whichever instance came first), and a lazy singleton's
     * tasks would be unknown to the engine until something used the bean.
     */
    @Override
    public void afterSingletonsInstantiated() {
        if (beanFactory == null) {
            return;
        }
        for (String beanName : beanFactory.getBeanDefinitionNames()) {
            if (ScopedProxyUtils.isScopedTarget(beanName)) {
                continue;
            }
            BeanDefinition definition = beanFactory.getMergedBeanDefinition(beanName);
            if (definition.isAbstract() || (definition.isSingleton() && beanFactory.containsSingleton(beanName))) {
                continue;
            }
            Class<?> type = beanFactory.getType(beanName, false);
            if (type == null || taskMethods(ClassUtils.getUserClass(type)).isEmpty()) {
                continue;
            }
            requireSingleton(beanName, ClassUtils.getUserClass(type));
            beanFactory.getBean(beanName); // a lazy singleton: creating it registers its tasks
        }
    }

    private void requireSingleton(String beanName, Class<?> target) {
        if (beanFactory != null
                && beanFactory.containsBeanDefinition(beanName)
                && !beanFactory.getMergedBeanDefinition(beanName).isSingleton()) {
            throw new InvalidTaskDefinitionException("Bean '" + beanName + "' (" + target.getName()
                    + ") declares @BackgroundTask methods but is not a singleton; tasks run on one shared instance, "
                    + "so move them to a singleton bean");
        }
    }
}
