package org.octgateway.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.apache.camel.CamelContext;

/**
 * A provider's SDK client, bound for its Camel component to autowire but built on first use: a provider no endpoint
 * calls never reads credentials nor, for default credential chains, probes a cloud metadata server. A client bound
 * before (a test's in-process fake, an embedder's own) is kept.
 */
public final class ProviderClient<T> {

    /** A client that cannot be built, with the setting the operator must set. */
    public static final class MissingSetting extends Exception {
        public MissingSetting(String message) {
            super(message, null, false, false);
        }
    }

    /** Builds the real client. */
    @FunctionalInterface
    public interface Builder<T> {
        T build() throws MissingSetting;
    }

    private final String provider;
    private Builder<T> builder;
    private T client;
    private String missingSetting;

    public ProviderClient(String provider) {
        this.provider = provider;
    }

    /** Binds, as {@code beanName}, a stand-in for the {@code type} interface that builds the client when first called. */
    public void bind(CamelContext context, Class<T> type, String beanName, Builder<T> builder) {
        if (context.getRegistry().findSingleByType(type) != null) {
            return;
        }
        this.builder = builder;
        Object lazy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0]
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                        : provider + " client (built on first use)";
            }
            T real = client();
            if (real == null) {
                throw new IllegalStateException("The " + provider + " storage provider is not configured: " + missingSetting);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        context.getRegistry().bind(beanName, type, type.cast(lazy));
    }

    /** Null when the provider can serve (building its client if not built yet); otherwise what is missing. */
    public String missingSetting() {
        client();
        return missingSetting;
    }

    private synchronized T client() {
        if (client == null && builder != null && missingSetting == null) {
            try {
                client = builder.build();
            } catch (MissingSetting e) {
                missingSetting = e.getMessage();
            }
        }
        return client;
    }
}
