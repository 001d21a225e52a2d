package io.clustermesh.controller.support;

import java.lang.reflect.Proxy;
import java.util.Map;

/** A {@code @ConfigMapping} interface for plain unit tests, answering only the methods named in {@code values}. */
public final class ConfigProxy {
    private ConfigProxy() {}

    public static <T> T of(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            if (!values.containsKey(method.getName())) {
                throw new UnsupportedOperationException(method.getName());
            }
            return values.get(method.getName());
        }));
    }
}
