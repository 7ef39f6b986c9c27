package io.gobstopper.tasks.store.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A data source that counts, on the real connections it hands out, the statements prepared whose SQL matches a
 * pattern, and the explicit commits: what a test needs to see how many round trips a piece of work took.
 */
final class CountingDataSource extends DelegatingDataSource {

    private final Map<String, Predicate<String>> kinds;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** @param kinds what to count, by name: a test of a statement's SQL */
    CountingDataSource(DataSource target, Map<String, Predicate<String>> kinds) {
        super(target);
        this.kinds = kinds;
        kinds.keySet().forEach(kind -> counts.put(kind, new AtomicInteger()));
        counts.put("commit", new AtomicInteger());
    }

    int count(String kind) {
        return counts.get(kind).get();
    }

    @Override
    public Connection getConnection() throws java.sql.SQLException {
        Connection connection = super.getConnection();
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("prepare") && args != null && args[0] instanceof String sql) {
                kinds.forEach((kind, test) -> {
                    if (test.test(sql)) {
                        counts.get(kind).incrementAndGet();
                    }
                });
            } else if (method.getName().equals("commit")) {
                counts.get("commit").incrementAndGet();
            }
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        };
        return (Connection) Proxy.newProxyInstance(
                CountingDataSource.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }
}
